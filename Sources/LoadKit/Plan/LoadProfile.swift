/// How many users run, or how fast iterations arrive, over time.
public enum LoadProfile: Sendable, Hashable {
    /// Closed model: `users` users spawned at `spawnRate` per second, for `runTime` seconds (nil: until stopped).
    case closed(users: Int, spawnRate: Double, runTime: Double?)
    /// Closed model with a load shape: each stage moves to its target users, then holds until it ends.
    case stages([Stage])
    /// Open model: `rate` iterations per second for `duration` seconds.
    case constantArrival(rate: Double, duration: Double, preAllocatedUsers: Int, maxUsers: Int)
    /// Open model: the rate moves linearly from `startRate` through each stage's target.
    case rampingArrival(startRate: Double, stages: [RateStage], preAllocatedUsers: Int, maxUsers: Int)
    /// Open model: recorded requests, each sent at its own offset (`firedrill replay`); the run ends once
    /// the last one was sent and answered.
    case replay(ReplayTimeline, preAllocatedUsers: Int, maxUsers: Int)

    /// One stage of a closed-model shape.
    public struct Stage: Sendable, Hashable {
        /// Seconds the stage lasts.
        public var duration: Double
        /// Users to reach.
        public var users: Int
        /// Users started or stopped per second (nil: spread evenly over the stage).
        public var spawnRate: Double?

        /// Creates a stage.
        public init(duration: Double, users: Int, spawnRate: Double? = nil) {
            self.duration = duration
            self.users = users
            self.spawnRate = spawnRate
        }
    }

    /// One stage of a ramping arrival rate.
    public struct RateStage: Sendable, Hashable {
        /// Seconds the stage lasts.
        public var duration: Double
        /// Iterations per second reached at the end of the stage.
        public var target: Double

        /// Creates a stage.
        public init(duration: Double, target: Double) {
            self.duration = duration
            self.target = target
        }
    }

    /// Total planned seconds (nil when open-ended).
    public var plannedDuration: Double? {
        switch self {
        case .closed(_, _, let t): return t
        case .stages(let s): return s.reduce(0) { $0 + $1.duration }
        case .constantArrival(_, let d, _, _): return d
        case .rampingArrival(_, let s, _, _): return s.reduce(0) { $0 + $1.duration }
        case .replay(let timeline, _, _):
            let d = timeline.duration
            return d.isFinite ? d : nil
        }
    }

    /// True for the arrival-rate (open) models.
    public var isOpen: Bool {
        switch self {
        case .constantArrival, .rampingArrival, .replay: return true
        default: return false
        }
    }
}
