import FiredrillSupport
import Yams

/// A request's `checks:` and `poll:`, and the JSON paths they use.
extension ScenarioParser {
    func checks(_ f: YAMLField) throws(ScenarioError) -> Checks {
        let m = try f.mapping(allowed: ["status", "json", "body_contains"])
        var checks = Checks()
        if let s = m["status"] {
            var matchers: [StatusMatcher] = []
            for item in s.listOrSingle() {
                let text = try item.string().lowercased()
                if let code = Int(text), (100...599).contains(code) {
                    matchers.append(.code(code))
                } else if text.count == 3, text.hasSuffix("xx"), let d = Int(text.prefix(1)), (1...5).contains(d) {
                    matchers.append(.range(d * 100...d * 100 + 99))
                } else {
                    throw item.error("bad status '\(text)' (use e.g. 200 or 2xx)")
                }
            }
            checks.status = matchers
        }
        if let j = m["json"] {
            for item in j.listOrSingle() { checks.json.append(try jsonCheck(item)) }
        }
        if let b = m["body_contains"] {
            checks.bodyContains = try stringList(b)
        }
        return checks
    }

    func jsonCheck(_ f: YAMLField) throws(ScenarioError) -> JSONCheck {
        let m = try f.mapping(allowed: ["path", "exists", "equals"])
        guard let p = m["path"] else { throw f.error("missing 'path'") }
        let path = try jsonPath(p)
        if m["exists"] != nil && m["equals"] != nil { throw f.error("use either 'exists' or 'equals'") }
        if let e = m["equals"] {
            let value: TemplateValue = e.isScalar ? try e.scalarValue() : .json(try Self.jsonText(e))
            return JSONCheck(path: path, expectation: .equals(value))
        }
        return JSONCheck(path: path, expectation: .exists(try m["exists"]?.bool() ?? true))
    }

    static func jsonText(_ f: YAMLField) throws(ScenarioError) -> String {
        switch f.node {
        case .mapping:
            var parts: [String] = []
            for (k, v) in try f.mapping() { parts.append(JSONText.quoted(k) + ":" + (try jsonText(v))) }
            return "{" + parts.joined(separator: ",") + "}"
        case .sequence:
            var parts: [String] = []
            for item in try f.list() { parts.append(try jsonText(item)) }
            return "[" + parts.joined(separator: ",") + "]"
        default:
            return try f.scalarValue().jsonText
        }
    }

    func jsonPath(_ f: YAMLField) throws(ScenarioError) -> JSONPath {
        let text = try f.string()
        do {
            return try JSONPath(text)
        } catch {
            throw f.error(error.message)
        }
    }

    func poll(_ f: YAMLField) throws(ScenarioError) -> PollSpec {
        let m = try f.mapping(allowed: ["until", "interval", "max_attempts"])
        guard let u = m["until"] else { throw f.error("missing 'until'") }
        var until: [JSONCheck] = []
        for item in u.listOrSingle() { until.append(try jsonCheck(item)) }
        return PollSpec(
            until: until, interval: try m["interval"]?.duration() ?? 1, maxAttempts: try m["max_attempts"]?.int(min: 1) ?? 30)
    }
}
