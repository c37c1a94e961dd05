/// A step's text that may name **runtime variables** — `${name}` resolved when the step runs, not
/// when the runbook is parsed: a value an earlier `http` step extracted, a free loopback port
/// (`${port.NAME}`, the same port for one NAME throughout the drill) or a fact of the stack
/// (`${stack.work_dir}`, `${stack.service_url}`). The drill's own `variables` are substituted at
/// parse time, so they are already literal text here.
public struct StepText: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Literal text or a runtime variable's name.
    public enum Part: Sendable, Equatable {
        case literal(String)
        case variable(String)
    }

    /// The parts, in order.
    public var parts: [Part]

    /// Creates a text of parts.
    public init(parts: [Part]) {
        self.parts = parts
    }

    /// A text without variables.
    public init(stringLiteral value: String) {
        self.parts = [.literal(value)]
    }

    /// The runtime variables it names.
    public var variables: [String] {
        parts.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }

    /// The text when it names no runtime variable.
    public var constant: String? {
        variables.isEmpty ? parts.map { if case .literal(let s) = $0 { s } else { "" } }.joined() : nil
    }

    /// The text with each variable replaced by `lookup(name)`.
    public func render(_ lookup: (String) throws -> String) rethrows -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .variable(let name): out += try lookup(name)
            }
        }
        return out
    }

    /// The text as written, with `${name}` for its variables.
    public var description: String { render { "${\($0)}" } }

    /// The runtime variables that every stack provides.
    public static let stackVariables = ["stack.work_dir", "stack.service_url"]
    /// The prefix of free-port variables.
    public static let portPrefix = "port."
}
