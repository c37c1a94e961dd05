import AnalyzerAPI
import ArgumentParser
import FiredrillSupport
import Foundation
import Logging

/// A serve flag's value that can be written back as the argument it parses from, so a
/// configuration travels as a command line (``ServeOptions/arguments``): a worker re-parses its
/// supervisor's flags. Every type an `@Option` of ``ServeOptions`` uses conforms;
/// `ServeOptionsTests` fails for one that does not.
public protocol ServeArgument {
    /// The argument that parses back to this value; nil = the option is not given.
    var argument: String? { get }
}

extension String: ServeArgument { public var argument: String? { self } }
extension Int: ServeArgument { public var argument: String? { String(self) } }
extension Double: ServeArgument { public var argument: String? { String(self) } }
extension Optional: ServeArgument where Wrapped: ServeArgument {
    public var argument: String? { self?.argument ?? nil }
}
// The help texts of the enumerations name their values, so `--help` keeps its one
// "(default: …)" rather than adding ArgumentParser's "(values: …)" list (allValueStrings).
extension FeaturesImplementation: ExpressibleByArgument, ServeArgument {
    public static var allValueStrings: [String] { [] }
    public var argument: String? { rawValue }
}
extension Logger.Level: @retroactive ExpressibleByArgument, ServeArgument {
    public static var allValueStrings: [String] { [] }
    public var argument: String? { rawValue }
}

/// A file path flag (`--data-dir`): a file URL, shown and written back as the path given.
extension URL: @retroactive ExpressibleByArgument, ServeArgument {
    public init?(argument: String) { self.init(fileURLWithPath: argument) }
    public var defaultValueDescription: String { relativePath }
    public var argument: String? { relativePath }
}

/// A duration flag in ``DurationText``'s grammar (`2.5`, `90s`, `1h30m`); `--help` shows seconds.
extension Duration: @retroactive ExpressibleByArgument, ServeArgument {
    public init?(argument: String) {
        guard let duration = DurationText.duration(argument) else { return nil }
        self = duration
    }
    public var defaultValueDescription: String { String(secondsValue) }
    /// Seconds, without a fraction when whole (`90`, `2.5`).
    public var argument: String? {
        secondsValue == secondsValue.rounded() && abs(secondsValue) < 1e15 ? String(Int64(secondsValue)) : String(secondsValue)
    }
    /// The duration in seconds.
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension ByteSize: ExpressibleByArgument, ServeArgument {
    public init?(argument: String) {
        guard let bytes = Self.parse(argument) else { return nil }
        self.init(bytes: bytes)
    }
    public var defaultValueDescription: String { description }
    public var argument: String? { String(bytes) }
}

/// `on` or `off` (`--prediction-log`).
public enum OnOff: String, Sendable, CaseIterable, ExpressibleByArgument, ServeArgument, ExpressibleByBooleanLiteral {
    case on, off
    public static var allValueStrings: [String] { [] }
    public init(booleanLiteral value: Bool) { self = value ? .on : .off }
    public var isOn: Bool { self == .on }
    public var argument: String? { rawValue }
}

/// An `@Option` whose value can be written back (see ``ServeArgument``).
protocol ServeArgumentOption {
    var argument: String? { get }
}

extension Option: ServeArgumentOption where Value: ServeArgument {
    var argument: String? { wrappedValue.argument }
}
