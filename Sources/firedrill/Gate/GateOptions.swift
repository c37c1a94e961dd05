import ArgumentParser
import FiredrillSupport
import Foundation
import GateKit

/// `--confidence`, `--min-effect`, `--min-failure-delta`, `--warmup`, `--fail-on-inconclusive` and
/// `--markdown`: how `compare` and `ab` judge and report, declared once for both.
struct GateOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Confidence of the whole comparison, e.g. 0.95 or 95% (split over the metrics tested, Bonferroni). Default 0.95; env FIREDRILL_CONFIDENCE.",
        valueName: "level"))
    var confidence: String?

    @Option(help: ArgumentHelp(
        "Smallest relative change of latency or throughput that counts, e.g. 5% or 0.05: a significant but smaller change is `same`. Default 5%; env FIREDRILL_MIN_EFFECT.",
        valueName: "change"))
    var minEffect: String?

    @Option(help: ArgumentHelp(
        "Smallest change of the failure rate that counts, absolute: 0.5% or 0.005 (half a percentage point). Default 0.5%.",
        valueName: "change"))
    var minFailureDelta: String?

    @Option(help: ArgumentHelp("Leave out each run's first seconds (ramp-up), e.g. 5s. Default 0.", valueName: "duration"))
    var warmup: String?

    @Flag(help: "Exit 99 when a metric is inconclusive too (default: only `worse` fails).")
    var failOnInconclusive = false

    @Option(help: ArgumentHelp("Also write the comparison as a Markdown table (a pull-request comment).", valueName: "file"))
    var markdown: String?

    /// The settings, parsed once.
    func settings() throws -> GateSettings {
        var s = GateSettings()
        if let c = confidence ?? FiredrillEnvironment.value("CONFIDENCE") {
            s.confidence = try Self.fraction(c, flag: "--confidence")
            guard s.confidence > 0.5, s.confidence < 1 else { throw ValidationError("--confidence must be between 50% and 100% (exclusive)") }
        }
        if let m = minEffect ?? FiredrillEnvironment.value("MIN_EFFECT") {
            s.minEffect = try Self.fraction(m, flag: "--min-effect")
        }
        if let m = minFailureDelta { s.minFailureDelta = try Self.fraction(m, flag: "--min-failure-delta") }
        if let w = warmup {
            guard let seconds = DurationText.seconds(w) else { throw ValidationError("--warmup '\(w)' is not a duration (e.g. 5s)") }
            s.warmup = seconds
        }
        return s
    }

    /// `5%` → 0.05, `0.05` → 0.05.
    static func fraction(_ text: String, flag: String) throws -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value = t.hasSuffix("%") ? Double(t.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 } : Double(t)
        guard let value, value >= 0, value < 1 || t.hasSuffix("%") else {
            throw ValidationError("\(flag) '\(text)' is not a fraction or a percentage (e.g. 0.05 or 5%)")
        }
        return value
    }
}
