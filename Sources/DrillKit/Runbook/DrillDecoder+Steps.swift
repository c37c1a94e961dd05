import AnalyzerAPI
import Foundation
import LoadKit
import Yams

/// The step kinds of csv-analyzer's contract (and the generic `wait`, `load`, `expect_alert`, `assert`).
extension DrillDecoder {
    func stepKind(_ kind: String, _ body: Node, _ p: String) throws -> Step.Kind {
        switch kind {
        case "start":
            if case .scalar = body, try rawScalar(body, p).isEmpty { return .start(options: [:]) }
            let fields = try mapping(body, p, allowed: ["workers", "memory_limit", "features_impl", "leak_scale", "max_requests",
                                                        "max_requests_jitter", "graceful_timeout", "database_url"] + Self.genericStartKeys,
                                     required: [])
            var options: [String: StepText] = [:]
            for (key, value) in fields {
                switch key {
                case "workers", "leak_scale", "max_requests", "max_requests_jitter", "graceful_timeout":
                    options[key] = StepText(stringLiteral: String(try int(value, "\(p).\(key)")))
                case "database_url": options[key] = try text(value, "\(p).\(key)")  // may name ${port.…}
                default: options[key] = StepText(stringLiteral: try string(value, "\(p).\(key)"))
                }
            }
            if let impl = options["features_impl"]?.constant, !["legacy", "patched"].contains(impl) {
                throw error(fields["features_impl"]!, "\(p).features_impl", "expected legacy or patched, found '\(impl)'")
            }
            return .start(options: options)
        case "seed":
            let fields = try mapping(body, p, allowed: ["models", "rows"], required: [])
            return .seed(models: try fields["models"].map { try int($0, "\(p).models") } ?? 1,
                         rows: try fields["rows"].map { try int($0, "\(p).rows") })
        case "fault":
            let fields = try mapping(body, p, allowed: ["action", "type", "probability", "route", "ttl", "latency_ms", "jitter_ms",
                                                        "status", "burn_ms", "model", "id"], required: ["action"])
            switch try choice(fields["action"]!, "\(p).action", ["set", "clear"]) {
            case "clear":
                try only(fields, ["action", "id"], p)
                return .faultClear(id: try fields["id"].map { try string($0, "\(p).id") })
            default:
                guard fields["type"] != nil else { throw error(body, p, "missing required field 'type'") }
                guard fields["id"] == nil else { throw error(fields["id"]!, "\(p).id", "only for action: clear") }
                var values: [String: Any] = [:]
                for (key, value) in fields where key != "action" {
                    switch key {
                    case "probability": values[key] = try double(value, "\(p).\(key)")
                    case "latency_ms", "jitter_ms", "status", "burn_ms": values[key] = try int(value, "\(p).\(key)")
                    case "ttl": values[key] = try duration(value, "\(p).ttl").description
                    default: values[key] = try string(value, "\(p).\(key)")
                    }
                }
                // The service's own rules (AnalyzerAPI), so a bad fault fails here with its line.
                do {
                    let spec = try FaultSpec.decode(try JSONSerialization.data(withJSONObject: values))
                    try spec.validate()
                    return .faultSet(spec)
                } catch let refused as RequestBodyError {
                    let at = refused.field.flatMap { fields[$0] } ?? body
                    throw error(at, refused.field.map { "\(p).\($0)" } ?? p, refused.message)
                }
            }
        case "load":
            let fields = try mapping(body, p, allowed: ["action", "scenario", "users", "spawn_rate", "run_time", "tags", "host", "arrival"],
                                     required: ["action"])
            if try choice(fields["action"]!, "\(p).action", ["start", "stop"]) == "stop" {
                try only(fields, ["action"], p)
                return .load(.stop)
            }
            guard let scenario = fields["scenario"] else { throw error(body, p, "missing required field 'scenario'") }
            return .load(.start(scenario: try string(scenario, "\(p).scenario"),
                                 users: try fields["users"].map { try int($0, "\(p).users") },
                                 spawnRate: try fields["spawn_rate"].map { try double($0, "\(p).spawn_rate") },
                                 runTime: try fields["run_time"].map { try duration($0, "\(p).run_time") },
                                 tags: try fields["tags"].map { try list($0, "\(p).tags").enumerated().map { try string($1, "\(p).tags[\($0)]") } } ?? [],
                                 host: try fields["host"].map { try url($0, "\(p).host") },
                                 arrival: try fields["arrival"].map { try arrival($0, "\(p).arrival") }))
        case "expect_alert":
            let fields = try mapping(body, p, allowed: ["name", "state", "within", "notified"], required: ["name", "state", "within"])
            let state = try choice(fields["state"]!, "\(p).state", Step.AlertExpectation.allCases.map(\.rawValue))
            let notified = try fields["notified"].map { try choice($0, "\(p).notified", ["true", "false"]) == "true" } ?? false
            return .expectAlert(alert: try string(fields["name"]!, "\(p).name"), state: Step.AlertExpectation(rawValue: state)!,
                                within: try duration(fields["within"]!, "\(p).within"), notified: notified)
        case "act":
            let fields = try mapping(body, p, allowed: ["action", "workers", "max_requests", "features_impl", "model", "id"], required: ["action"])
            switch try choice(fields["action"]!, "\(p).action", ["scale", "restart", "retrain", "clear_fault", "stop_service"]) {
            case "scale":
                try only(fields, ["action", "workers", "max_requests"], p)
                guard fields["workers"] != nil || fields["max_requests"] != nil else {
                    throw error(body, p, "missing required field 'workers' or 'max_requests'")
                }
                return .act(.scale(workers: try fields["workers"].map { try int($0, "\(p).workers") },
                                   maxRequests: try fields["max_requests"].map { try int($0, "\(p).max_requests") }))
            case "restart":
                try only(fields, ["action", "features_impl"], p)
                let impl = try fields["features_impl"].map {
                    try choice($0, "\(p).features_impl", FeaturesImplementation.allCases.map(\.rawValue))
                }
                return .act(.restart(featuresImpl: impl.flatMap(FeaturesImplementation.init(rawValue:))))
            case "stop_service":
                try only(fields, ["action"], p)
                return .act(.stopService)
            case "retrain":
                try only(fields, ["action", "model"], p)
                return .act(.retrain(model: try fields["model"].map { try string($0, "\(p).model") }))
            default:
                try only(fields, ["action", "id"], p)
                return .act(.clearFault(id: try fields["id"].map { try string($0, "\(p).id") }))
            }
        case "assert":
            let fields = try mapping(body, p, allowed: ["query", "min", "max", "for"], required: ["query", "for"])
            return .assert(query: try string(fields["query"]!, "\(p).query"), tolerance: try tolerance(fields, body, p),
                           holdFor: try duration(fields["for"]!, "\(p).for"))
        case "diagnose":
            if case .scalar = body, try rawScalar(body, p).isEmpty { return .diagnose(within: PromDuration("1m")!) }
            let fields = try mapping(body, p, allowed: ["within"], required: [])
            return .diagnose(within: try fields["within"].map { try duration($0, "\(p).within") } ?? PromDuration("1m")!)
        default: // wait
            return .wait(try duration(body, p))
        }
    }

    /// `arrival: {start_rate, stages: [{duration, target}], max_users}`: a ramping arrival rate.
    func arrival(_ node: Node, _ p: String) throws -> Step.ArrivalShape {
        let fields = try mapping(node, p, allowed: ["start_rate", "stages", "max_users"], required: ["stages"])
        let startRate = try fields["start_rate"].map { try double($0, "\(p).start_rate") } ?? 0
        guard startRate >= 0 else { throw error(fields["start_rate"]!, "\(p).start_rate", "must be 0 or more, found \(startRate)") }
        let stages = try list(fields["stages"]!, "\(p).stages").enumerated().map { index, item -> LoadProfile.RateStage in
            let sp = "\(p).stages[\(index)]"
            let stage = try mapping(item, sp, allowed: ["duration", "target"], required: ["duration", "target"])
            let target = try double(stage["target"]!, "\(sp).target")
            guard target >= 0 else { throw error(stage["target"]!, "\(sp).target", "must be 0 or more, found \(target)") }
            let duration = try self.duration(stage["duration"]!, "\(sp).duration")
            guard duration.milliseconds > 0 else { throw error(stage["duration"]!, "\(sp).duration", "must be longer than 0s") }
            return .init(duration: Double(duration.milliseconds) / 1000, target: target)
        }
        guard !stages.isEmpty else { throw error(fields["stages"]!, "\(p).stages", "needs at least one stage") }
        let maxUsers = try fields["max_users"].map { try int($0, "\(p).max_users") } ?? 500
        guard maxUsers >= 1 else { throw error(fields["max_users"]!, "\(p).max_users", "must be at least 1, found \(maxUsers)") }
        return .init(startRate: startRate, stages: stages, maxUsers: maxUsers)
    }

}
