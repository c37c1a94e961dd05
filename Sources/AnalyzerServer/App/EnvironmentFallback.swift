import ArgumentParser
import Foundation

/// The one way csv-analyzer reads environment variables: every option whose help ends in
/// `[VARIABLE]` falls back to that variable. Before parsing, `--flag VALUE` is appended for each
/// such option the command line does not give and whose variable is set (and not empty), so the
/// value goes through the flag's own parsing and validation, and errors name the flag.
public enum EnvironmentFallback {
    /// One option and the variable it falls back to.
    public struct Variable: Equatable, Sendable {
        /// The long flag, e.g. `--memory-limit`.
        public var flag: String
        /// The environment variable, e.g. `CSV_ANALYZER_MEMORY_LIMIT`.
        public var name: String
        /// The default `--help` shows, if any.
        public var defaultValue: String?
    }

    /// The options of `type` that name a variable in their help, in declaration order. Read from
    /// ArgumentParser's own description of the type (`--experimental-dump-help`), so the flag names
    /// and help texts are the ones `--help` prints; `ServeOptionsTests` counts them, so a change in
    /// that format cannot silently switch the fallbacks off.
    public static func variables(of type: any ParsableArguments.Type) -> [Variable] {
        options(of: type).compactMap { flag, argument in
            variable(in: argument.abstract ?? "").map { Variable(flag: flag, name: $0, defaultValue: argument.defaultValue) }
        }
    }

    /// The long flag of every option of `type`, in declaration order.
    static func optionFlags(of type: any ParsableArguments.Type) -> [String] {
        options(of: type).map(\.flag)
    }

    /// The options of `type` with their long flags, from ArgumentParser's own description.
    private static func options(of type: any ParsableArguments.Type) -> [(flag: String, argument: ToolInfo.Argument)] {
        guard let info = try? JSONDecoder().decode(ToolInfo.self, from: Data(type._dumpHelp().utf8)) else { return [] }
        return (info.command.arguments ?? []).compactMap { argument in
            guard argument.kind == "option", let long = argument.names?.first(where: { $0.kind == "long" }) else { return nil }
            return ("--" + long.name, argument)
        }
    }

    /// `arguments` with the environment's values appended for options they do not set.
    public static func arguments(
        _ arguments: [String], for type: any ParsableArguments.Type,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        var result = arguments
        for variable in variables(of: type) {
            guard let value = environment[variable.name], !value.isEmpty else { continue }
            let given = arguments.contains { $0 == variable.flag || $0.hasPrefix(variable.flag + "=") }
            if !given { result += [variable.flag, value] }
        }
        return result
    }

    /// `NAME` of a help text ending in `[NAME].` (or `[NAME]`).
    static func variable(in help: String) -> String? {
        guard let open = help.lastIndex(of: "["), let close = help[open...].firstIndex(of: "]") else { return nil }
        let name = help[help.index(after: open)..<close]
        guard !name.isEmpty, name.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else { return nil }
        return String(name)
    }

    /// The part of ArgumentParser's `--experimental-dump-help` description read here.
    private struct ToolInfo: Decodable {
        struct Command: Decodable { var arguments: [Argument]? }
        struct Argument: Decodable {
            struct Name: Decodable {
                var kind: String
                var name: String
            }
            var kind: String
            var names: [Name]?
            var abstract: String?
            var defaultValue: String?
        }
        var command: Command
    }
}
