import ArgumentParser
import LoadKit

/// `--csv`, `--csv-full-history`, `--html`, `--json`, `--junit`: the report files of a load test; `--co-correction`.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Write Locust CSV files PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv, PREFIX_exceptions.csv.",
        valueName: "prefix"))
    var csv: String?

    @Flag(help: "Also write one stats_history row per request name every second.")
    var csvFullHistory = false

    @Option(help: ArgumentHelp("Write a self-contained HTML report.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Write the full summary as JSON.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write JUnit XML with one test case per threshold.", valueName: "file"))
    var junit: String?

    @Flag(name: .customLong("co-correction"), help: ArgumentHelp(
        "Closed model: back-fill the samples coordinated omission hid (a stalled server blocks every user) and report corrected percentiles beside the raw ones (console, HTML, JSON). Without it a stall is still detected and warned about."))
    var coCorrection = false

    /// Fills unset paths from FIREDRILL_CSV, _HTML, _JSON and _JUNIT.
    mutating func applyEnvironment() {
        csv = csv ?? FiredrillEnvironment.value("CSV")
        html = html ?? FiredrillEnvironment.value("HTML")
        json = json ?? FiredrillEnvironment.value("JSON")
        junit = junit ?? FiredrillEnvironment.value("JUNIT")
    }

    /// The writer for the files asked for; the HTML report overlays `baseline` when given, the JSON
    /// report carries `replay` when given.
    func files(baseline: RunRecord? = nil, replay: ReplayInfo? = nil) -> ReportFiles {
        ReportFiles(csvPrefix: csv, csvFullHistory: csvFullHistory, html: html, json: json, junit: junit,
                    baseline: baseline, replay: replay)
    }

    /// ``files(baseline:replay:)`` made ready for `plan` (folders checked, created): exit 69 when they
    /// cannot be written.
    func prepared(for plan: LoadPlan, baseline: RunRecord? = nil, replay: ReplayInfo? = nil) throws -> ReportFiles {
        let outputs = files(baseline: baseline, replay: replay)
        do {
            try outputs.prepare(plan: plan)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.runError
        }
        return outputs
    }
}
