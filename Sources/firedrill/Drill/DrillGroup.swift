import ArgumentParser

/// `firedrill drill`: runs a runbook (`run`, the default: `firedrill drill RUNBOOK`) or writes one
/// from an incident window (`generate`).
struct DrillGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Run a runbook's drill (the default), or generate one from an incident window.",
        discussion: """
            firedrill drill RUNBOOK.md is firedrill drill run RUNBOOK.md (see `firedrill drill run --help`); \
            firedrill drill generate --prometheus URL --from T1 --to T2 writes a runbook whose drill replays \
            an incident (see `firedrill drill generate --help`).
            """,
        subcommands: [DrillCommand.self, DrillGenerateCommand.self],
        defaultSubcommand: DrillCommand.self)
}
