import FiredrillSupport
import Yams

/// A YAML node with its key path and file, with typed accessors that fail with `file:line` and the key.
struct YAMLField {
    let node: Node
    /// Key path from the root, e.g. `users[0].tasks[1].path`.
    let key: String
    let file: String

    var line: Int { node.mark?.line ?? 0 }
    var column: Int { node.mark?.column ?? 0 }

    func error(_ message: String) -> ScenarioError {
        ScenarioError(file: file, line: line, column: column, key: key, message: message)
    }

    func child(_ node: Node, _ name: String) -> YAMLField {
        YAMLField(node: node, key: key.isEmpty ? name : "\(key).\(name)", file: file)
    }

    func element(_ node: Node, _ index: Int) -> YAMLField {
        YAMLField(node: node, key: "\(key)[\(index)]", file: file)
    }

    var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    var isScalar: Bool { if case .scalar = node { return true } else { return false } }
    var isNull: Bool {
        if case .scalar = node { return Tag.Name(rawValue: node.tag.rawValue) == .null }
        return false
    }

    var typeName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar: return "'\(node.string ?? "")'"
        }
    }

    /// The entries of a mapping in file order; rejects duplicate and unknown keys.
    func mapping(allowed: [String]? = nil) throws(ScenarioError) -> OrderedFields {
        guard case .mapping(let m) = node else { throw error("expected a mapping, got \(typeName)") }
        var fields = OrderedFields()
        for (k, v) in m {
            let keyField = YAMLField(node: k, key: key, file: file)
            guard case .scalar = k, let name = k.string else { throw keyField.error("keys must be plain strings") }
            let valueField = child(v, name)
            if fields[name] != nil {
                throw YAMLField(node: k, key: valueField.key, file: file).error("duplicate key '\(name)'")
            }
            if let allowed, !allowed.contains(name) {
                throw YAMLField(node: k, key: valueField.key, file: file).error(
                    "unknown key '\(name)'\(Suggestion.hint(for: name, in: allowed)); expected one of: \(allowed.joined(separator: ", "))")
            }
            fields.append(name, valueField)
        }
        return fields
    }

    /// The items of a list (a single non-list value is an error).
    func list() throws(ScenarioError) -> [YAMLField] {
        guard case .sequence(let s) = node else { throw error("expected a list, got \(typeName)") }
        return s.enumerated().map { element($1, $0) }
    }

    /// The items of a list, or the value itself as a one-item list.
    func listOrSingle() -> [YAMLField] {
        if case .sequence(let s) = node { return s.enumerated().map { element($1, $0) } }
        return [self]
    }

    func string() throws(ScenarioError) -> String {
        guard case .scalar(let s) = node else { throw error("expected a string, got \(typeName)") }
        return s.string
    }

    func int(min: Int? = nil) throws(ScenarioError) -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string.replacingUnderscores) else {
            throw error("expected an integer, got \(typeName)")
        }
        if let min, v < min { throw error("must be at least \(min), got \(v)") }
        return v
    }

    func double(min: Double? = nil, above: Double? = nil) throws(ScenarioError) -> Double {
        guard case .scalar(let s) = node, let v = Double(s.string.replacingUnderscores), v.isFinite else {
            throw error("expected a number, got \(typeName)")
        }
        if let min, v < min { throw error("must be at least \(TemplateValue.format(min)), got \(s.string)") }
        if let above, v <= above { throw error("must be above \(TemplateValue.format(above)), got \(s.string)") }
        return v
    }

    func bool() throws(ScenarioError) -> Bool {
        guard case .scalar(let s) = node else { throw error("expected true or false, got \(typeName)") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, got \(typeName)")
        }
    }

    /// A duration such as `30s`, `500ms`, `2m` or a number of seconds.
    func duration() throws(ScenarioError) -> Double {
        guard case .scalar(let s) = node, let v = DurationText.seconds(s.string) else {
            throw error("bad duration \(typeName) (use e.g. 500ms, 30s, 5m, 1h30m, or seconds)")
        }
        if v > LoadPlan.longestDuration { throw error("'\(s.string)' is longer than 1y, the longest duration a scenario takes") }
        return v
    }

    /// A ``duration()`` that must be above 0 (a run time or timeout of 0 only fails every request).
    func positiveDuration() throws(ScenarioError) -> Double {
        let v = try duration()
        if v <= 0 { throw error("must be above 0, got '\(try string())'") }
        return v
    }

    /// A `[min, max]` list whose items `read` converts; `unit` follows "expected [min, max]" in the error.
    func minMax<T: Comparable>(
        unit: String = "", _ read: (YAMLField) throws(ScenarioError) -> T
    ) throws(ScenarioError) -> (T, T) {
        let r = try list()
        guard r.count == 2 else { throw error("expected [min, max]\(unit)") }
        let lo = try read(r[0]), hi = try read(r[1])
        guard lo <= hi else { throw error("min is above max (\(lo) > \(hi))") }
        return (lo, hi)
    }

    /// The scalar as a typed template value (YAML's resolved tag decides).
    func scalarValue() throws(ScenarioError) -> TemplateValue {
        guard case .scalar(let s) = node else { throw error("expected a scalar, got \(typeName)") }
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .int: return Int(s.string.replacingUnderscores).map(TemplateValue.int) ?? .string(s.string)
        case .float: return Double(s.string).map(TemplateValue.double) ?? .string(s.string)
        case .bool: return .bool((try? bool()) ?? false)
        case .null: return .null
        default: return .string(s.string)
        }
    }
}
