import Yams

/// The `load:` section: closed users, stages, or arrival-rate executors.
extension ScenarioParser {
    func loadProfile(_ f: YAMLField) throws(ScenarioError) -> LoadProfile {
        let all = ["executor", "users", "spawn_rate", "run_time", "stages", "rate", "time_unit", "duration",
                   "pre_allocated_users", "max_users", "start_rate"]
        let probe = try f.mapping(allowed: all)
        var executor = try probe["executor"]?.string()
        if executor == nil {
            if probe["rate"] != nil {
                executor = "constant_arrival_rate"
            } else if probe["start_rate"] != nil {
                executor = "ramping_arrival_rate"
            } else if probe["stages"] != nil {
                executor = "stages"
            } else {
                executor = "users"
            }
        }
        switch executor {
        case "users":
            let m = try f.mapping(allowed: ["executor", "users", "spawn_rate", "run_time"])
            return .closed(
                users: try m["users"]?.int(min: 0) ?? 1, spawnRate: try m["spawn_rate"]?.double(above: 0) ?? 1,
                runTime: try m["run_time"].map { r throws(ScenarioError) in try r.positiveDuration() })
        case "stages":
            let m = try f.mapping(allowed: ["executor", "stages"])
            guard let s = m["stages"] else { throw f.error("missing 'stages'") }
            var stages: [LoadProfile.Stage] = []
            for item in try s.list() {
                let sm = try item.mapping(allowed: ["duration", "users", "spawn_rate"])
                guard let d = sm["duration"], let u = sm["users"] else {
                    throw item.error("a stage needs 'duration' and 'users'")
                }
                stages.append(LoadProfile.Stage(
                    duration: try d.duration(), users: try u.int(min: 0),
                    spawnRate: try sm["spawn_rate"]?.double(above: 0)))
            }
            if stages.isEmpty { throw s.error("needs at least one stage") }
            return .stages(stages)
        case "constant_arrival_rate":
            let m = try f.mapping(allowed: ["executor", "rate", "time_unit", "duration", "pre_allocated_users", "max_users"])
            guard let r = m["rate"], let d = m["duration"] else { throw f.error("needs 'rate' and 'duration'") }
            let unit = try m["time_unit"]?.duration() ?? 1
            if unit <= 0 { throw m["time_unit"]!.error("must be above 0") }
            let rate = try r.double(above: 0) / unit
            if rate > LoadPlan.highestRate { throw r.error(Self.rateTooHigh(rate)) }
            let (pre, maxUsers) = try arrivalUsers(m, rate: rate)
            return .constantArrival(rate: rate, duration: try d.duration(), preAllocatedUsers: pre, maxUsers: maxUsers)
        case "ramping_arrival_rate":
            let m = try f.mapping(allowed: ["executor", "start_rate", "time_unit", "stages", "pre_allocated_users", "max_users"])
            let unit = try m["time_unit"]?.duration() ?? 1
            if unit <= 0 { throw m["time_unit"]!.error("must be above 0") }
            guard let s = m["stages"] else { throw f.error("missing 'stages'") }
            var stages: [LoadProfile.RateStage] = []
            for item in try s.list() {
                let sm = try item.mapping(allowed: ["duration", "target"])
                guard let d = sm["duration"], let t = sm["target"] else {
                    throw item.error("a stage needs 'duration' and 'target'")
                }
                let target = try t.double(min: 0) / unit
                if target > LoadPlan.highestRate { throw t.error(Self.rateTooHigh(target)) }
                stages.append(LoadProfile.RateStage(duration: try d.duration(), target: target))
            }
            if stages.isEmpty { throw s.error("needs at least one stage") }
            let start = try m["start_rate"]?.double(min: 0) ?? 0
            if start / unit > LoadPlan.highestRate { throw m["start_rate"]!.error(Self.rateTooHigh(start / unit)) }
            let peak = max(start / unit, stages.map(\.target).max() ?? 0)
            let (pre, maxUsers) = try arrivalUsers(m, rate: peak)
            return .rampingArrival(startRate: start / unit, stages: stages, preAllocatedUsers: pre, maxUsers: maxUsers)
        default:
            throw probe["executor"]!.error(
                "unknown executor '\(executor ?? "")'; expected users, stages, constant_arrival_rate or ramping_arrival_rate")
        }
    }

    static func rateTooHigh(_ perSecond: Double) -> String {
        "\(TemplateValue.format(perSecond)) iterations per second is above the highest rate, \(Int(LoadPlan.highestRate))/s"
    }

    func arrivalUsers(_ m: OrderedFields, rate: Double) throws(ScenarioError) -> (Int, Int) {
        // A rate past Int (`rate: 1e300`) asks for Int.max users, which the capacity check refuses.
        let users = { (x: Double) in x < 9.2e18 ? Int(x.rounded(.up)) : Int.max }
        let maxUsers = try m["max_users"]?.int(min: 1) ?? max(10, users(rate * 10))
        let pre = try m["pre_allocated_users"]?.int(min: 0) ?? min(maxUsers, max(1, users(rate)))
        if pre > maxUsers { throw m["pre_allocated_users"]!.error("is above max_users (\(maxUsers))") }
        return (pre, maxUsers)
    }
}
