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
