import AnalyzerAPI
import Foundation
import Logging
import Synchronization

/// The faults in force in this process. Expired faults drop out on their own; every change and
/// expiry is logged.
final class FaultRegistry: Sendable {
    private let faults = Mutex<[ActiveFault]>([])
    private let logger: Logger
    /// Called after the active set changes (to update `csv_analyzer_fault_active`).
    private let onChange: @Sendable ([ActiveFault]) -> Void

    init(logger: Logger, onChange: @escaping @Sendable ([ActiveFault]) -> Void = { _ in }) {
        self.logger = logger
        self.onChange = onChange
    }

    /// Faults that have not expired.
    func active(now: Double = Date().timeIntervalSince1970) -> [ActiveFault] {
        faults.withLock { list in list.isEmpty ? [] : list.filter { $0.expiresAt > now } }
    }

    /// Active faults of one type.
    func active(_ type: FaultType) -> [ActiveFault] {
        let now = Date().timeIntervalSince1970
        return faults.withLock { list in list.isEmpty ? [] : list.filter { $0.type == type && $0.expiresAt > now } }
    }

    func add(_ fault: ActiveFault) {
        faults.withLock { $0.append(fault) }
        logger.warning(
            "fault injected",
            metadata: ["fault": "\(fault.type.rawValue)", "id": "\(fault.id)", "probability": "\(fault.probability)",
                       "route": "\(fault.route ?? "*")", "expires_in_s": "\(Int(fault.expiresAt - fault.createdAt))"])
        onChange(active())
    }

    /// Removes one fault; returns whether it existed.
    func remove(id: String) -> Bool {
        let removed = faults.withLock { list -> ActiveFault? in
            guard let index = list.firstIndex(where: { $0.id == id }) else { return nil }
            return list.remove(at: index)
        }
        if let removed { logger.warning("fault cleared", metadata: ["fault": "\(removed.type.rawValue)", "id": "\(id)"]) }
        onChange(active())
        return removed != nil
    }

    func removeAll() {
        let count = faults.withLock { list -> Int in
            defer { list.removeAll() }
            return list.count
        }
        if count > 0 { logger.warning("all faults cleared", metadata: ["count": "\(count)"]) }
        onChange([])
    }

    /// Replaces the whole set (a worker receiving the supervisor's faults).
    func replace(with list: [ActiveFault]) {
        faults.withLock { $0 = list }
        onChange(active())
    }

    /// Drops expired faults, logging each; run every second.
    func expire(now: Double = Date().timeIntervalSince1970) {
        let expired = faults.withLock { list -> [ActiveFault] in
            let gone = list.filter { $0.expiresAt <= now }
            if !gone.isEmpty { list.removeAll { $0.expiresAt <= now } }
            return gone
        }
        for fault in expired { logger.warning("fault expired", metadata: ["fault": "\(fault.type.rawValue)", "id": "\(fault.id)"]) }
        if !expired.isEmpty { onChange(active(now: now)) }
    }

    func runExpiry() async {
        while !Task.isCancelled {
            expire()
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
