import Foundation

/// Finds, for one fault, the mildest intensity that breaches the SLO and the mildest that pages,
/// probing as few intensities as it can: the strongest first (if it does not breach, nothing
/// milder will), then a binary search below it for each, reusing every probe's answer. Assumes
/// both are monotone in intensity.
public struct CoverageSearch: Sendable {
    /// What one probe saw.
    public struct Probe: Sendable, Codable, Equatable {
        /// The SLO was breached (5xx or failures > 1 %, or p95 > 500 ms).
        public var breached: Bool
        /// Paging alerts that fired (empty: none).
        public var paged: [String]
        /// The measured failure ratio and p95 (seconds), for the report.
        public var errorRatio: Double
        public var p95Seconds: Double?

        public init(breached: Bool, paged: [String], errorRatio: Double = 0, p95Seconds: Double? = nil) {
            self.breached = breached
            self.paged = paged
            self.errorRatio = errorRatio
            self.p95Seconds = p95Seconds
        }
    }

    /// The outcome for one fault.
    public struct Result: Sendable, Codable, Equatable {
        public var fault: String
        public var labels: [String]
        /// Probes by intensity index (missing: not probed).
        public var probes: [Int: Probe]
        /// Mildest intensity that breaches / pages (nil: none does, among those tried).
        public var breachesAt: Int?
        public var pagesAt: Int?
        /// The search stopped for want of budget.
        public var incomplete: Bool

        /// Breaches the SLO where nothing pages: at the mildest breaching intensity no alert fired.
        public var silent: Bool {
            guard let breachesAt else { return false }
            return probes[breachesAt].map { $0.paged.isEmpty } ?? false
        }
    }

    /// Runs the search; `probe(i)` probes intensity `i`, `canProbe()` says whether the budget allows one more.
    public static func run(fault: String, labels: [String], canProbe: () -> Bool,
                           probe: (Int) async throws -> Probe) async throws -> Result {
        var probes: [Int: Probe] = [:]
        var incomplete = false
        func at(_ i: Int) async throws -> Probe? {
            if let known = probes[i] { return known }
            guard canProbe() else { incomplete = true; return nil }
            let result = try await probe(i)
            probes[i] = result
            return result
        }
        let n = labels.count
        guard n > 0, let strongest = try await at(n - 1) else {
            return Result(fault: fault, labels: labels, probes: probes, breachesAt: nil, pagesAt: nil, incomplete: n > 0)
        }
        // The mildest index where `holds` is true, knowing it holds at `n - 1` (lower bound search).
        func mildest(_ holds: (Probe) -> Bool) async throws -> Int? {
            var lo = 0, hi = n - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                guard let p = try await at(mid) else { return nil }
                if holds(p) { hi = mid } else { lo = mid + 1 }
            }
            return hi
        }
        let breachesAt = strongest.breached ? try await mildest { $0.breached } : nil
        let pagesAt = strongest.paged.isEmpty ? nil : try await mildest { !$0.paged.isEmpty }
        // What the mildest breach did is what makes a fault silent: know it.
        if let breachesAt { _ = try await at(breachesAt) }
        return Result(fault: fault, labels: labels, probes: probes, breachesAt: breachesAt, pagesAt: pagesAt, incomplete: incomplete)
    }
}
