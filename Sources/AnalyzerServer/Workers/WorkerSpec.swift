import Foundation

/// Everything a worker process needs, passed by the supervisor as JSON in an environment
/// variable: the supervisor's configuration whole (so a new flag reaches workers with no edit
/// here), the worker's place in the pool and its memory share.
struct WorkerSpec: Codable, Sendable, Equatable {
    static let environmentKey = "CSV_ANALYZER_WORKER_SPEC"

    var slot: Int
    var generation: Int
    var runDirectory: String
    var memoryShareBytes: Int64?
    /// The configuration the worker's analyzer runs with.
    var configuration: ServerConfiguration

    /// The supervisor's unix socket in `runDirectory`: its control routes, where workers report.
    static func supervisorSocket(in runDirectory: String) -> String { runDirectory + "/supervisor.sock" }

    /// The supervisor's unix socket, where this worker reports.
    var supervisorSocket: String { Self.supervisorSocket(in: runDirectory) }

    /// This worker's unix socket for the supervisor's calls.
    var workerSocket: String { runDirectory + "/worker-\(slot)-\(generation).sock" }
}
