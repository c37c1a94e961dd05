import ArgumentParser
import GateKit

/// `firedrill compare BASE NEW`: is the new run worse than the base, beyond noise?
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two load-test summaries (or two drill journals) and gate on regressions.",
        discussion: """
            BASE and NEW are JSON summaries written by `firedrill load --json FILE`, or two `journal.json` files \
            of `firedrill drill` (recognised by their content).
            For every request name both runs share, and for all requests, it compares p50, p90, p95, p99, max, \
            mean, requests/s, the failure rate and (open model) the achieved rate. Verdicts come from the runs' \
            per-second statistics: a Mann–Whitney (rank) test with the Hodges–Lehmann shift and its confidence \
            interval, on log values (so changes are ratios). `worse`/`better`: significant and at least \
            --min-effect; `same`: significant but smaller, or an interval within ±--min-effect; `inconclusive`: \
            neither (too few or too noisy intervals). Journals compare pass/fail and time to detect, notify and \
            recover (one observation each: judged by --min-effect and a 1 s resolution).
            Exit codes: 0 no regression, 99 a metric is worse (or inconclusive with --fail-on-inconclusive), \
            65 bad input (unreadable, truncated, a Locust CSV, runs of different scenarios), 64 bad command line.
            """)

    @Argument(help: "The base run's summary (e.g. the main branch's artifact).")
    var base: String

    @Argument(help: "The new run's summary (e.g. this pull request's).")
    var new: String

    @OptionGroup var gate: GateOptions

    mutating func run() async throws {
        let settings = try gate.settings()
        let report: ComparisonReport
        do {
            let b = try ComparisonInput.read(base)
            let n = try ComparisonInput.read(new)
            report = try ComparisonInput.compare(b, n, baseLabel: base, newLabel: new, settings: settings)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.badInput
        }
        try GateOutput.finish(report, options: gate)
    }
}
