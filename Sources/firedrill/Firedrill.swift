import ArgumentParser

/// `firedrill`: load tests, fault injection and incident drills.
@main
struct Firedrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firedrill",
        abstract: "Reproduce incidents on demand: load tests, faults and drills.",
        subcommands: [DrillGroup.self, CoverageCommand.self, LoadCommand.self, WorkerCommand.self, MergeCommand.self, FaultCommand.self, ProxyCommand.self, CompareCommand.self, ABCommand.self])
}
