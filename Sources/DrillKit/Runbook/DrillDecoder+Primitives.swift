import Foundation
import FiredrillSupport
import Yams

/// The decoder's primitives: typed scalars, strict mappings, `${name}` substitution.
extension DrillDecoder {
    func line(_ node: Node) -> Int { blockLine + (node.mark?.line ?? 0) }

    func error(_ node: Node, _ path: String, _ message: String) -> DrillError {
        DrillError(file: file, line: line(node), path: path, message: message)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A mapping's string keys; refuses non-mappings, unknown keys (with a suggestion) and missing required keys.
    func mapping(_ node: Node, _ path: String, allowed: [String]?, required: [String],
                 unknownHint: String = "unknown key") throws -> [String: Node] {
        guard case .mapping(let map) = node else {
            throw error(node, path.isEmpty ? "(top level)" : path, "expected a mapping, found \(Self.describe(node))")
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in map {
            guard case .scalar(let key) = keyNode else { throw error(keyNode, path, "keys must be plain strings") }
            let keyPath = path.isEmpty ? key.string : "\(path).\(key.string)"
            if let allowed, !allowed.contains(key.string) {
                throw error(keyNode, keyPath, "\(unknownHint) '\(key.string)'\(suggestion(key.string, allowed))")
            }
            guard result[key.string] == nil else { throw error(keyNode, keyPath, "duplicated key") }
            result[key.string] = value
        }
        for key in required where result[key] == nil {
            throw error(node, path.isEmpty ? key : "\(path).\(key)", "missing required field '\(key)'")
        }
        return result
    }

    func only(_ fields: [String: Node], _ allowed: [String], _ path: String) throws {
        let action = fields["action"].flatMap { try? rawScalar($0, path) } ?? ""
        for (key, value) in fields where !allowed.contains(key) {
            throw error(value, "\(path).\(key)", "not allowed with action: \(action) (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    func list(_ node: Node, _ path: String) throws -> [Node] {
        guard case .sequence(let seq) = node else { throw error(node, path, "expected a list, found \(Self.describe(node))") }
        return Array(seq)
    }

    /// A scalar's text with the drill's `${name}` variables substituted; a runtime variable is
    /// refused here (only `StepText` fields take them).
    func rawScalar(_ node: Node, _ path: String) throws -> String {
        let text = try self.text(node, path)
        guard let constant = text.constant else {
            throw error(node, path, "'${\(text.variables[0])}' is known only when the drill runs: runtime variables go in the "
                        + "fields of start (command, env, cwd, ready), proxy (listen, upstream), http, exec and signal (pidfile) steps")
        }
        return constant
    }

    /// A scalar's text: the drill's variables substituted, runtime variables (`StepText`) kept.
    func text(_ node: Node, _ path: String) throws -> StepText {
        guard case .scalar(let scalar) = node else { throw error(node, path, "expected a value, found \(Self.describe(node))") }
        var parts: [StepText.Part] = []
        var literal = ""
        var rest = Substring(scalar.string)
        while let open = rest.range(of: "${") {
            literal += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw error(node, path, "unterminated '${' in '\(scalar.string)'")
            }
            let name = String(rest[open.upperBound..<close])
            if let value = variables[name] {
                literal += value
            } else if isRuntime(name) {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.variable(name))
            } else {
                let known = Array(variables.keys) + Array(runtimeNames) + StepText.stackVariables
                throw error(node, path, "unknown variable '\(name)'\(suggestion(name, known))")
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty || parts.isEmpty { parts.append(.literal(literal)) }
        return StepText(parts: parts)
    }

    /// Whether `name` is a runtime variable a step may name: one an earlier step defines, a free
    /// port (`port.NAME`) or a fact of the stack.
    func isRuntime(_ name: String) -> Bool {
        runtimeNames.contains(name) || StepText.stackVariables.contains(name)
            || (name.hasPrefix(StepText.portPrefix) && name.count > StepText.portPrefix.count)
    }

    func string(_ node: Node, _ path: String) throws -> String {
        let text = try rawScalar(node, path)
        guard !text.isEmpty else { throw error(node, path, "must not be empty") }
        return text
    }

    func int(_ node: Node, _ path: String) throws -> Int {
        let text = try rawScalar(node, path)
        guard let value = Int(text) else { throw error(node, path, "expected an integer, found '\(text)'") }
        return value
    }

    func double(_ node: Node, _ path: String) throws -> Double {
        let text = try rawScalar(node, path)
        guard let value = Double(text), value.isFinite else { throw error(node, path, "expected a number, found '\(text)'") }
        return value
    }

    func duration(_ node: Node, _ path: String) throws -> PromDuration {
        let text = try rawScalar(node, path)
        guard let value = PromDuration(text) else {
            throw error(node, path, "bad duration '\(text)' (expected e.g. 30s, 5m, 1h30m, 500ms)")
        }
        return value
    }

    func choice(_ node: Node, _ path: String, _ options: [String]) throws -> String {
        let text = try rawScalar(node, path)
        guard options.contains(text) else {
            throw error(node, path, "expected one of \(options.joined(separator: ", ")), found '\(text)'\(suggestion(text, options))")
        }
        return text
    }

    func suggestion(_ word: String, _ candidates: [String]) -> String {
        Suggestion.hint(for: word, in: candidates)
    }
}
