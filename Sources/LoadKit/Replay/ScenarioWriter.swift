import FiredrillSupport

/// Writes a replay as an editable scenario (`firedrill replay --to-scenario`): the route mix as weighted
/// tasks of one user class (weights are request counts), ids as `choice` variables of the values seen,
/// and the rate curve as `stages` of a `ramping_arrival_rate` executor. `firedrill load` runs it.
public enum ScenarioWriter {
    /// At most this many stages: the bucket width grows with the log's span.
    static let maxStages = 60
    static let bucketWidths: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400]
    /// At most this many observed values per id variable.
    static let maxChoices = 50

    /// One route: method plus path template, its count and what represents it.
    struct Route {
        var method: String
        var name: String
        var count = 0
        /// Concrete targets by frequency.
        var targets: [String: Int] = [:]
        /// The most common body and its content type.
        var bodies: [[UInt8]: Int] = [:]
        var contentType: String?
    }

    /// The scenario YAML for `replay` against `host`; `source` names the log in the header comment.
    public static func yaml(_ replay: ReplayPlan, host: String, source: String) -> String {
        var routes: [String: Route] = [:]
        var order: [String] = []
        for r in replay.requests {
            let name = RouteName.of(r.target)
            let key = r.method + " " + name
            if routes[key] == nil {
                routes[key] = Route(method: r.method, name: name)
                order.append(key)
            }
            routes[key]!.count += 1
            routes[key]!.targets[r.target, default: 0] += 1
            if let b = r.body {
                routes[key]!.bodies[b, default: 0] += 1
                routes[key]!.contentType = routes[key]!.contentType
                    ?? r.headers.first { $0.name.lowercased() == "content-type" }?.value
            }
        }
        let sorted = order.compactMap { routes[$0] }.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        var variables: [String: [String: Int]] = [:]
        var tasks = ""
        for route in sorted {
            let (path, used) = template(route, into: &variables)
            let method = route.method.lowercased()
            if ScenarioParser.methods.contains(method) {
                tasks += "      - \(method): \(JSONText.quoted(path))\n"
            } else {
                tasks += "      - method: \(route.method)\n        path: \(JSONText.quoted(path))\n"
            }
            tasks += "        name: \(JSONText.quoted(route.name))\n"
            tasks += "        weight: \(route.count)\n"
            if let body = route.bodies.max(by: { $0.value < $1.value })?.key {
                if let text = String(validating: body, as: UTF8.self) {
                    tasks += "        text: \(JSONText.quoted(text.replacingOccurrences(of: "${", with: "$${")))\n"
                    tasks += "        content_type: \(JSONText.quoted(route.contentType ?? "application/octet-stream"))\n"
                } else {
                    tasks += "        # the recorded body is binary (\(body.count) bytes): not written here\n"
                }
            }
            _ = used
        }
        var out = "# Written by `firedrill replay \(source) --to-scenario` from \(replay.requests.count) requests"
        out += " over \(NumberFormat.duration(replay.offsets.last ?? 0)).\n"
        out += "# Task weights are request counts per route; ids are `choice` variables of values seen in the log;\n"
        out += "# the rate curve is one ramping stage per \(NumberFormat.duration(bucketWidth(replay))) window. Edit freely.\n"
        out += "host: \(JSONText.quoted(host))\n"
        if !variables.isEmpty {
            out += "variables:\n"
            for (name, seen) in variables.sorted(by: { $0.key < $1.key }) {
                let values = seen.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(maxChoices).map(\.key)
                out += "  \(name): {choice: [\(values.map(JSONText.quoted).joined(separator: ", "))]}\n"
            }
        }
        out += load(replay)
        out += "stop_timeout: \(NumberFormat.duration(replay.plan.stopTimeout))\n"
        out += "users:\n  - name: Replay\n    tasks:\n" + tasks
        return out
    }

    /// The route's most common target with each id segment replaced by a variable; records the ids seen.
    static func template(_ route: Route, into variables: inout [String: [String: Int]]) -> (String, [String]) {
        guard let top = route.targets.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key else { return (route.name, []) }
        let query = top.firstIndex(of: "?").map { String(top[$0...]) } ?? ""
        let segments = route.name.split(separator: "/", omittingEmptySubsequences: false)
        var names: [String] = []
        var out: [String] = []
        for (i, s) in segments.enumerated() {
            guard s == "{id}" else {
                out.append(String(s).replacingOccurrences(of: "${", with: "$${"))
                continue
            }
            let previous = i > 0 ? segments[i - 1].filter { $0.isLetter || $0.isNumber || $0 == "_" } : ""
            var name = "id" + (previous.isEmpty || previous == "{id}" ? "" : "_" + previous)
            var n = 2
            while names.contains(name) { name = "\(name)_\(n)"; n += 1 }
            names.append(name)
            out.append("${\(name)}")
            for (target, count) in route.targets {
                let path = target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
                let concrete = path.split(separator: "/", omittingEmptySubsequences: false)
                if i < concrete.count { variables[name, default: [:]][String(concrete[i]), default: 0] += count }
            }
        }
        return (out.joined(separator: "/") + query.replacingOccurrences(of: "${", with: "$${"), names)
    }

    /// Seconds per stage: the smallest width that keeps the stages at or under ``maxStages``.
    static func bucketWidth(_ replay: ReplayPlan) -> Double {
        let span = replay.offsets.last ?? 0
        return bucketWidths.first { span / $0 < Double(maxStages) } ?? bucketWidths.last!
    }

    /// The `load:` section: a ramping arrival rate through each window's observed rate.
    static func load(_ replay: ReplayPlan) -> String {
        let width = bucketWidth(replay)
        let span = replay.offsets.last ?? 0
        let buckets = max(1, Int((span / width).rounded(.down)) + 1)
        var counts = Array(repeating: 0, count: buckets)
        for o in replay.offsets { counts[min(buckets - 1, Int(o / width))] += 1 }
        let rates = counts.map { Double($0) / width }
        func rate(_ r: Double) -> String { TemplateValue.format((r * 1000).rounded() / 1000) }
        var out = "load:\n  executor: ramping_arrival_rate\n"
        out += "  start_rate: \(rate(rates[0]))\n"
        if case .replay(_, _, let maxUsers) = replay.plan.load { out += "  max_users: \(maxUsers)\n" }
        out += "  stages:\n"
        for r in rates {
            out += "    - {duration: \(NumberFormat.duration(width)), target: \(rate(r))}\n"
        }
        return out
    }
}
