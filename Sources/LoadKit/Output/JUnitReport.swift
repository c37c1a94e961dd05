import FiredrillSupport
import Foundation

/// JUnit XML with one test case per threshold, for CI systems that show test results.
public enum JUnitReport {
    /// The XML document.
    public static func xml(_ summary: RunSummary) -> String {
        let results = summary.thresholds
        let failures = results.filter { !$0.passed }.count
        let time = String(format3: summary.duration)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"firedrill load\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n"
        out += "  <testsuite name=\"thresholds\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\""
        out += " skipped=\"0\" time=\"\(time)\" timestamp=\"\(iso(summary.startTime))\">\n"
        for r in results {
            out += "    <testcase classname=\"firedrill.thresholds\" name=\"\(MarkupText.escape(r.threshold))\" time=\"\(time)\""
            if r.passed {
                out += "/>\n"
            } else {
                out += ">\n      <failure type=\"threshold\" message=\"\(MarkupText.escape(r.message))\">"
                out += MarkupText.escape("\(r.threshold) failed: \(r.message)") + "</failure>\n    </testcase>\n"
            }
        }
        let s = summary.stats.total
        out += "    <system-out>" + MarkupText.escape(
            "requests=\(s.requests) failures=\(s.failures) rps=\(String(format3: s.rps)) "
            + "p95=\(String(format3: s.percentiles[5]))ms end=\(summary.endReason)") + "</system-out>\n"
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
