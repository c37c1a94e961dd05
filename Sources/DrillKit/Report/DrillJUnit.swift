import FiredrillSupport
import Foundation

/// `junit.xml`: a drill run as JUnit XML, so CI shows each expectation as a test.
///
/// One `<testsuite>` per section — steady state before, method, steady state after, and rollbacks
/// when a rollback is an expectation or failed — and one `<testcase>` per probe result and per
/// expectation step. A step that is not an expectation but failed (the service did not start) is a
/// failing test case too. A run that did not pass without any failing case (it was interrupted) gets
/// a failing `run` case, so CI never reports such a run green.
public enum DrillJUnit {
    /// The XML document.
    public static func render(_ journal: DrillJournal) -> String {
        let facts = JournalFacts(journal)
        let suites = self.suites(facts)
        let cases = suites.flatMap(\.cases)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(attr(journal.title))\" tests=\"\(cases.count)\""
        out += " failures=\"\(cases.filter { $0.outcome == .failed }.count)\" errors=\"0\""
        out += " skipped=\"\(cases.filter { $0.outcome == .skipped }.count)\" time=\"\(seconds(facts.duration))\">\n"
        for suite in suites {
            out += render(suite, facts: facts)
        }
        out += "</testsuites>\n"
        return out
    }

    struct Case {
        var name: String
        var kind: String
        var outcome: DrillJournal.Outcome
        var detail: String
        var time: Double
    }

    struct Suite {
        var name: String
        var cases: [Case]
        /// When the section started (nil when it is empty).
        var start: Date?
        /// Wall-clock seconds from the section's first start to its last end, steps that are not
        /// test cases included.
        var time: Double
    }

    static func suites(_ facts: JournalFacts) -> [Suite] {
        let journal = facts.journal
        let file = facts.runbookFile
        func span(_ intervals: [(Date, Date)]) -> (Date?, Double) {
            guard let start = intervals.map(\.0).min(), let end = intervals.map(\.1).max() else { return (nil, 0) }
            return (start, end.timeIntervalSince(start))
        }
        func probes(_ name: String, _ results: [DrillJournal.ProbeResult]) -> Suite {
            let (start, time) = span(results.map { ($0.startedAt, $0.endedAt) })
            return Suite(name: name, cases: results.map {
                Case(name: "\(file):\($0.line) \($0.name)", kind: "probe", outcome: $0.outcome, detail: $0.detail,
                     time: $0.endedAt.timeIntervalSince($0.startedAt))
            }, start: start, time: time)
        }
        func steps(_ name: String, _ results: [DrillJournal.StepResult]) -> Suite {
            let (start, time) = span(results.map { ($0.startedAt, $0.endedAt) })
            return Suite(name: name, cases: results.filter { $0.isExpectation || $0.outcome == .failed }.map {
                Case(name: "\(file):\($0.line) \($0.title)", kind: $0.kind, outcome: $0.outcome, detail: $0.detail,
                     time: $0.seconds)
            }, start: start, time: time)
        }
        var suites = [probes("steady state before", journal.steadyStateBefore), steps("method", journal.steps),
                      probes("steady state after", journal.steadyStateAfter)]
        let rollbacks = steps("rollbacks", journal.rollbacks)
        if !rollbacks.cases.isEmpty { suites.append(rollbacks) }
        if !journal.passed, !suites.contains(where: { $0.cases.contains { $0.outcome == .failed } }) {
            let detail = journal.reason ?? "the run ended \(journal.status.rawValue)"
                + (journal.deviated ? " and the steady state deviated" : "")
            suites.append(Suite(name: "run", cases: [
                Case(name: "\(file) drill run \(journal.status.rawValue)", kind: "run", outcome: .failed, detail: detail,
                     time: facts.duration),
            ], start: journal.startedAt, time: facts.duration))
        }
        return suites
    }

    private static func render(_ suite: Suite, facts: JournalFacts) -> String {
        let journal = facts.journal
        let className = "drill.\(facts.slug)"
        var out = "  <testsuite name=\"\(attr(suite.name))\" tests=\"\(suite.cases.count)\""
        out += " failures=\"\(suite.cases.filter { $0.outcome == .failed }.count)\" errors=\"0\""
        out += " skipped=\"\(suite.cases.filter { $0.outcome == .skipped }.count)\" time=\"\(seconds(suite.time))\""
        if let start = suite.start, let p = JournalDateFormat.parts(start) {
            out += String(format: " timestamp=\"%04d-%02d-%02dT%02d:%02d:%02dZ\"", p.year, p.month, p.day, p.hour, p.minute, p.second)
        }
        out += ">\n    <properties>\n"
        let properties = [("runbook", journal.runbook), ("status", journal.status.rawValue),
                          ("passed", journal.passed ? "true" : "false"), ("stack", journal.stack.kind),
                          ("service_url", journal.stack.serviceURL), ("time_scale", DrillFormat.number(journal.timeScale))]
        for (name, value) in properties {
            out += "      <property name=\"\(attr(name))\" value=\"\(attr(value))\"/>\n"
        }
        out += "    </properties>\n"
        for c in suite.cases {
            out += "    <testcase classname=\"\(attr(className))\" name=\"\(attr(c.name))\" time=\"\(seconds(c.time))\""
            switch c.outcome {
            case .passed:
                out += "/>\n"
            case .failed:
                out += ">\n      <failure type=\"\(attr(c.kind))\" message=\"\(attr(Markup.headline(c.detail)))\">"
                out += MarkupText.escape(c.detail) + "</failure>\n    </testcase>\n"
            case .skipped:
                out += ">\n      <skipped message=\"\(attr(c.detail))\"/>\n    </testcase>\n"
            }
        }
        out += "  </testsuite>\n"
        return out
    }

    private static func attr(_ s: String) -> String { MarkupText.escape(s, attribute: true) }

    /// Seconds with millisecond precision; 0 for negative or non-finite values.
    private static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value.isFinite ? min(max(value, 0), 1e12) : 0)
    }
}
