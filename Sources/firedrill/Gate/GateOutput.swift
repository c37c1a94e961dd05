import ArgumentParser
import Foundation
import GateKit

/// Prints a comparison, writes its Markdown, and turns it into the exit code (0, or 99).
enum GateOutput {
    static func finish(_ report: ComparisonReport, options: GateOptions) throws {
        Console.write(ConsoleComparison.render(report, failOnInconclusive: options.failOnInconclusive))
        if let path = options.markdown {
            do {
                try Data(MarkdownReport.render(report, failOnInconclusive: options.failOnInconclusive).utf8)
                    .write(to: URL(fileURLWithPath: path))
            } catch {
                Console.error("error: cannot write \(path): \(error.localizedDescription)")
                throw ExitCodes.runError
            }
        }
        if report.fails(failOnInconclusive: options.failOnInconclusive) { throw ExitCodes.regression }
    }
}

extension ExitCodes {
    /// `compare`/`ab`: a metric is worse (or inconclusive with `--fail-on-inconclusive`).
    static let regression = ExitCode(99)
    /// `compare`: a file cannot be read or compared (names the file).
    static let badInput = ExitCode(65)
}
