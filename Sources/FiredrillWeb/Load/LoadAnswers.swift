import FiredrillSupport
import Foundation
import LoadKit

/// `POST /stop`'s answer (Locust's shape).
struct Acknowledgement: Encodable, Sendable {
    var success = true
    var message: String
}

/// `GET /exceptions` in Locust's shape.
struct LocustExceptions: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        var count: Int
        var msg: String
        var traceback = ""
        var nodes = "local"
    }

    var exceptions: [Row]

    init(_ list: [ExceptionStats]) {
        exceptions = list.map { Row(count: $0.count, msg: MarkupText.escape($0.message, quotes: false)) }
    }
}

/// `GET /plan`: the scenario's own numbers, which the start form shows as defaults.
struct PlanDefaults: Encodable, Sendable {
    var host: String
    var userCount: Int?
    var spawnRate: Double?
    var runTime: Double?
    var openModel: Bool
    var rate: Double?
    var load: String
    var thresholds: [String]
    var tags: [String]

    enum CodingKeys: String, CodingKey {
        case host, userCount = "user_count", spawnRate = "spawn_rate", runTime = "run_time"
        case openModel = "open_model", rate, load, thresholds, tags
    }

    init(_ plan: LoadPlan) {
        host = plan.host
        load = plan.load.summary
        openModel = plan.load.isOpen
        runTime = plan.load.plannedDuration
        switch plan.load {
        case .closed(let users, let rate, _):
            userCount = users
            spawnRate = rate
        case .stages(let stages):
            userCount = stages.map(\.users).max()
            spawnRate = stages.compactMap(\.spawnRate).max()
        case .constantArrival(let r, _, _, _):
            rate = r
        case .rampingArrival(let start, let stages, _, _):
            rate = stages.map(\.target).max() ?? start
        case .replay(let timeline, _, _):
            // A replay's mean rate: its requests over its span (a recorded curve has no one rate).
            if let span = timeline.offsets.last.map({ $0 - (timeline.offsets.first ?? 0) }), span > 0 {
                rate = Double(timeline.count) / span
            }
        }
        thresholds = plan.thresholds.map(\.description)
        var seen = Set<String>()
        tags = plan.userClasses.flatMap { $0.tasks.flatMap(\.tags) }.filter { seen.insert($0).inserted }
    }
}
