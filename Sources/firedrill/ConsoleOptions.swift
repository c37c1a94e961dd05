import ArgumentParser
import Logging

/// `--only-summary` and `-L/--loglevel`: what a long-running command (load, drill) prints while it runs.
struct ConsoleOptions: ParsableArguments {
    @Flag(name: .customLong("only-summary"), help: "Print only the final summary, no live view.")
    var onlySummary = false

    @Option(name: [.customShort("L"), .customLong("loglevel")],
            help: "Log events on stderr at this level or above: debug, info, warning, error (default warning).")
    var logLevel = "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("--loglevel must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// A logger to standard error at `--loglevel`.
    func logger(label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel.lowercased()) ?? .warning
        return logger
    }
}
