import ArgumentParser

/// Process exit codes of `firedrill`, documented in README.md.
enum ExitCodes {
    /// Every threshold held (or none was set).
    static let passed = ExitCode(0)
    /// A command-line flag is malformed (swift-argument-parser's usage code), or `-u`/`--max-users`
    /// asks for more users than this machine holds (file descriptors, memory).
    static let usage = ExitCode(64)
    /// The scenario (or a `--threshold`) is invalid, or its users do not fit this machine; nothing was sent.
    static let invalidScenario = ExitCode(65)
    /// The run could not start or failed: target unreachable, outputs not writable.
    static let runError = ExitCode(69)
    /// At least one threshold failed.
    static let thresholdFailed = ExitCode(99)
    /// `firedrill drill`: an expectation did not hold or a step failed (the report says which).
    static let drillFailed = ExitCode(1)
    /// `firedrill drill`: stopped by Ctrl-C or SIGTERM (rollbacks ran, the stack was stopped).
    static let interrupted = ExitCode(130)
}
