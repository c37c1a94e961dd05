import AnalyzerAPI
import Foundation

/// The single-process backend: faults and memory of this process; no worker pool.
struct LocalAdminBackend: AdminBackend {
    let analyzer: Analyzer

    func faults() async throws -> [ActiveFault] { analyzer.runtime.faults.active() }
    /// `worker_crash` aborts the process that serves the request; with no supervisor to replace
    /// it, that is the whole service, so it is refused (409 `no_workers`).
    func addFault(_ fault: ActiveFault) async throws {
        if fault.type == .workerCrash {
            throw AnalyzerError(
                .conflict, code: "no_workers",
                "the worker_crash fault needs a worker pool: in one process it would stop the whole service; start it with --workers N")
        }
        analyzer.runtime.faults.add(fault)
    }
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

    static let noPool = AnalyzerError(.conflict, code: "no_workers", "the service runs as one process; start it with --workers N to manage workers")
}
