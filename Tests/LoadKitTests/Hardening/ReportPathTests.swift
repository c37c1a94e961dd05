import Foundation
import Testing
@testable import LoadKit

/// Report paths that cannot be written are refused before the run with a plain message: `--html DIR`
/// ran the whole test and then failed with "NSCocoaErrorDomain Code=512", `--csv /missing/dir/p` with
/// "NSCocoaErrorDomain Code=4".
@Suite struct ReportPathTests {
    let plan = try! LoadPlan.single(url: "http://127.0.0.1:1/", load: .closed(users: 1, spawnRate: 1, runTime: 1))

    @Test(arguments: ["html", "json", "junit"])
    func aDirectoryAsAReportFileIsRefusedBeforeTheRun(_ kind: String) throws {
        let dir = try ScenarioDir().url.path
        let files = ReportFiles(csvPrefix: nil, csvFullHistory: false, html: kind == "html" ? dir : nil,
                                json: kind == "json" ? dir : nil, junit: kind == "junit" ? dir : nil)
        #expect { try files.prepare(plan: plan) } throws: { "\($0)" == "cannot write \(dir): it is a directory" }
    }

    @Test func aCSVPrefixInAMissingDirectoryIsRefusedWithThePath() throws {
        let prefix = try ScenarioDir().url.appendingPathComponent("missing/run").path
        let files = ReportFiles(csvPrefix: prefix, csvFullHistory: false, html: nil, json: nil, junit: nil)
        let dir = (prefix as NSString).deletingLastPathComponent
        #expect { try files.prepare(plan: plan) } throws: {
            "\($0)" == "cannot write \(prefix)_stats.csv: directory \(dir) does not exist or is not writable"
        }
    }
}
