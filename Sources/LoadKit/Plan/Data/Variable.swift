import Foundation

/// A generated variable from the scenario's `variables:` section.
public struct Variable: Sendable {
    /// How the value is generated.
    public enum Kind: Sendable, Hashable {
        case randomInt(Int, Int)
        case randomFloat(Double, Double)
        case choice([TemplateValue])
        case uuid
        /// A counter shared by all users, starting at `start`.
        case sequence(start: Int, step: Int)
        /// An environment variable, read once at load time.
        case env(name: String, value: String?)
        case constant(TemplateValue)
    }

    /// The name used in `${name}`.
    public var name: String
    /// The generator.
    public var kind: Kind
    let counter = SharedCounter()

    /// Creates a variable.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// Produces a value (evaluated once per task iteration by the engine).
    public func generate(using rng: inout some RandomNumberGenerator) -> TemplateValue {
        switch kind {
        case .randomInt(let lo, let hi): return .int(Int.random(in: lo...max(lo, hi), using: &rng))
        case .randomFloat(let lo, let hi): return .double(hi > lo ? Double.random(in: lo..<hi, using: &rng) : lo)
        case .choice(let values): return values.isEmpty ? .null : values[Int.random(in: 0..<values.count, using: &rng)]
        case .uuid: return .string(UUID().uuidString.lowercased())
        case .sequence(let start, let step):
            // Wrapping: a sequence that runs past Int.max goes on from Int.min rather than trapping.
            return .int(start &+ step &* counter.next())
        case .env(_, let value): return .string(value ?? "")
        case .constant(let v): return v
        }
    }
}
