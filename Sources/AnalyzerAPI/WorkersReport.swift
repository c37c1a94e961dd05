/// The worker pool (`GET /admin/workers`, and the answer to `POST /admin/workers` and
/// `POST /admin/workers/restart`).
public struct WorkersReport: Codable, Sendable, Equatable {
    /// One worker process.
    public struct Worker: Codable, Sendable, Equatable {
        /// Slot `0…N-1` (the `worker` label of the metrics).
        public var slot: Int
        public var pid: Int32
        /// `starting`, `ready` or `draining`.
        public var state: String
        /// Increases with every worker the supervisor starts.
        public var generation: Int
        /// Unix time (seconds) the worker was started.
        public var startedAt: Double
        public var residentBytes: Int64

        enum CodingKeys: String, CodingKey {
            case slot, pid, state, generation
            case startedAt = "started_at", residentBytes = "resident_bytes"
        }

        public init(slot: Int, pid: Int32, state: String, generation: Int, startedAt: Double, residentBytes: Int64) {
            self.slot = slot
            self.pid = pid
            self.state = state
            self.generation = generation
            self.startedAt = startedAt
            self.residentBytes = residentBytes
        }
    }

    /// A scale or rolling restart is under way.
    public var busy: Bool
    public var desired: Int
    public var alive: Int
    /// `legacy` or `patched`: what new workers run.
    public var featuresImpl: String
    public var maxRequests: Int
    /// Worker replacements by cause (`crash`, `oom`, `max_requests`, `rolling`, `scale`).
    public var restarts: [String: Int]
    public var workers: [Worker]

    enum CodingKeys: String, CodingKey {
        case busy, desired, alive, restarts, workers
        case featuresImpl = "features_impl", maxRequests = "max_requests"
    }

    public init(
        busy: Bool, desired: Int, alive: Int, featuresImpl: String, maxRequests: Int, restarts: [String: Int], workers: [Worker]
    ) {
        self.busy = busy
        self.desired = desired
        self.alive = alive
        self.featuresImpl = featuresImpl
        self.maxRequests = maxRequests
        self.restarts = restarts
        self.workers = workers
    }
}
