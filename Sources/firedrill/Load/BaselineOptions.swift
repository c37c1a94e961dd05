import ArgumentParser
import LoadKit

/// `--baseline FILE`: the run that `baseline` thresholds and the HTML overlay compare against.
struct BaselineOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A previous run's `--json` summary: thresholds such as 'p(95) < baseline * 1.10' compare against it and the HTML report overlays its charts. Env FIREDRILL_BASELINE.",
        valueName: "file"))
    var baseline: String?

    /// The baseline run, or nil when none was given.
    /// - Throws: `RunRecordError` naming the file.
    func record() throws -> RunRecord? {
        guard let path = baseline ?? FiredrillEnvironment.value("BASELINE") else { return nil }
        return try RunRecord.load(path: path)
    }
}
