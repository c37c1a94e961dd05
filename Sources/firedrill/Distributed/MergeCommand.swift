import ArgumentParser
import FiredrillSupport
import Foundation
import LoadKit

/// `firedrill merge`: several processes' JSON summaries as one run, with exact percentiles.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the --json summaries of several firedrill processes (workers, --segment shares) into one run.",
        discussion: """
            Counts, failures, sums, minima and maxima add up exactly, and latency percentiles come from the \
            processes' HdrHistograms added together (3 significant digits), unlike a Locust master's \
            2-digit rounding. The files' thresholds (and any --threshold) are evaluated on the merged data.
            Exit codes: 0 all thresholds passed, 99 a threshold failed, 65 a file or threshold is invalid, \
            69 an output is not writable.
            """)

    @Argument(help: "JSON summaries written by `firedrill load --json` or `firedrill worker --json`.")
    var files: [String]

    @Option(name: .customLong("threshold"), help: "A further gate such as 'p(99) < 200ms' (repeatable).")
    var thresholds: [String] = []

    @OptionGroup var reports: ReportOptions

    mutating func run() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one JSON summary") }
        let merged: RunMerge
        do {
            let extra = try thresholds.map { (t) throws(ThresholdError) in try Threshold.parseFlag(t) }
            merged = try RunMerge.merge(paths: files, extra: extra)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
        let outputs = reports.files()
        do {
            try outputs.prepare(plan: merged.plan)
            outputs.tick(merged.summary.stats)
            try outputs.finish(plan: merged.plan, summary: merged.summary)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.runError
        }
        Console.write("Merged \(files.count) file(s)\n" + ConsoleReport.final(merged.summary))
        if !merged.summary.passed { throw ExitCodes.thresholdFailed }
    }
}
