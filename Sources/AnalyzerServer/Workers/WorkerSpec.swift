import Foundation
import Logging

/// Everything a worker process needs, passed by the supervisor as JSON in an environment variable.
struct WorkerSpec: Codable, Sendable {
    static let environmentKey = "CSV_ANALYZER_WORKER_SPEC"

    var slot: Int
    var generation: Int
    var runDirectory: String
    var supervisorSocket: String
    var memoryShareBytes: Int64?
    var dataDirectory: String
    var maxUploadBytes: Int64
    var memoryLimitBytes: Int64?
    var syncTrainingRowLimit: Int
    var logLevel: String
    var errorLogPath: String
    var featuresImplementation: FeaturesImplementation
    var leakScale: Int
    var maxRequests: Int
    var maxRequestsJitter: Int
    var gracefulTimeoutSeconds: Double
    var databaseURL: String?
    var predictionLog: Bool
    var monitoring: MonitoringSettings?

    /// This worker's unix socket for the supervisor's calls.
    var workerSocket: String { runDirectory + "/worker-\(slot)-\(generation).sock" }

    init(configuration: ServerConfiguration, slot: Int, generation: Int, runDirectory: String, memoryShareBytes: Int64?) {
        self.slot = slot
        self.generation = generation
        self.runDirectory = runDirectory
        supervisorSocket = runDirectory + "/supervisor.sock"
        self.memoryShareBytes = memoryShareBytes
        dataDirectory = configuration.dataDirectory.path
        maxUploadBytes = configuration.maxUploadBytes
        memoryLimitBytes = configuration.memoryLimitBytes
        syncTrainingRowLimit = configuration.syncTrainingRowLimit
        logLevel = configuration.logLevel.rawValue
        errorLogPath = configuration.resolvedErrorLogPath
        featuresImplementation = configuration.featuresImplementation
        leakScale = configuration.leakScale
        maxRequests = configuration.maxRequests
        maxRequestsJitter = configuration.maxRequestsJitter
        let (seconds, attoseconds) = configuration.gracefulTimeout.components
        gracefulTimeoutSeconds = Double(seconds) + Double(attoseconds) / 1e18
        databaseURL = configuration.databaseURL
        predictionLog = configuration.predictionLog
        monitoring = configuration.monitoring
    }

    /// The configuration the worker's analyzer runs with.
    var configuration: ServerConfiguration {
        var c = ServerConfiguration()
        c.dataDirectory = URL(fileURLWithPath: dataDirectory)
        c.maxUploadBytes = maxUploadBytes
        c.memoryLimitBytes = memoryLimitBytes
        c.syncTrainingRowLimit = syncTrainingRowLimit
        c.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        c.errorLogPath = errorLogPath
        c.featuresImplementation = featuresImplementation
        c.leakScale = leakScale
        c.maxRequests = maxRequests
        c.maxRequestsJitter = maxRequestsJitter
        c.gracefulTimeout = .milliseconds(Int(gracefulTimeoutSeconds * 1000))
        c.databaseURL = databaseURL
        c.predictionLog = predictionLog
        c.monitoring = monitoring ?? MonitoringSettings()
        return c
    }
}
