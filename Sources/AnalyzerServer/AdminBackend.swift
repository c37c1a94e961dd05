import AnalyzerAPI
import Foundation

/// What the admin API controls. A single process answers for itself; the supervisor answers for
/// all its workers.
protocol AdminBackend: Sendable {
    func faults() async throws -> [ActiveFault]
    func addFault(_ fault: ActiveFault) async throws
    func removeFault(id: String) async throws -> Bool
    func clearFaults() async throws
    func memory() async throws -> [WorkerMemory]
    func workers() async throws -> WorkersReport
    func scale(to count: Int?, maxRequests: Int?, jitter: Int?) async throws -> WorkersReport
    func rollingRestart(featuresImplementation: FeaturesImplementation?) async throws -> WorkersReport
}

/// The single-process backend: faults and memory of this process; no worker pool.
struct LocalAdminBackend: AdminBackend {
    let analyzer: Analyzer

    func faults() async throws -> [ActiveFault] { analyzer.runtime.faults.active() }
    func addFault(_ fault: ActiveFault) async throws { analyzer.runtime.faults.add(fault) }
    func removeFault(id: String) async throws -> Bool { analyzer.runtime.faults.remove(id: id) }
    func clearFaults() async throws { analyzer.runtime.faults.removeAll() }

    func memory() async throws -> [WorkerMemory] {
        [analyzer.memoryReport(slot: 0)]
    }

    func workers() async throws -> WorkersReport { throw Self.noPool }
    func scale(to count: Int?, maxRequests: Int?, jitter: Int?) async throws -> WorkersReport { throw Self.noPool }

    /// Without workers there is nothing to roll: 409 `no_workers` (restart the process with
    /// `--features-impl` instead).
    func rollingRestart(featuresImplementation: FeaturesImplementation?) async throws -> WorkersReport {
        throw Self.noPool
    }

    static let noPool = APIError(.conflict, code: "no_workers", "the service runs as one process; start it with --workers N to manage workers")
}

extension Analyzer {
    /// This process's memory report.
    func memoryReport(slot: Int) -> WorkerMemory {
        WorkerMemory(
            worker: slot, pid: getpid(), residentBytes: ProcessStats.current().residentBytes,
            shareBytes: runtime.budget.shareBytes, featuresImpl: runtime.usesLegacyFeatures ? "legacy" : "patched",
            components: retainedBytes())
    }
}
