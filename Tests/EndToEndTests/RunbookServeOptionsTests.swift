import AnalyzerServer
@testable import DrillKit
import Foundation
import Testing

/// Every runbook's `start` options become flags that csv-analyzer's own option set accepts: the
/// drill stack derives its command line from the service's flags, it lists none of them.
@Suite struct RunbookServeOptionsTests {
    static let runbooks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("runbooks")

    @Test func everyStartStepParsesAsServeFlags() throws {
        var starts = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.runbooks.path).sorted() where name.hasSuffix(".md") && name != "README.md" {
            let text = try String(contentsOf: Self.runbooks.appendingPathComponent(name), encoding: .utf8)
            guard text.contains("```drill") else { continue }
            let drill = try Runbook.parse(markdown: text, file: name).drill
            for step in drill.method + drill.rollbacks {
                guard case .start(let options) = step.kind else { continue }
                starts += 1
                // Runtime variables (a database_url's port) get a value as when the drill runs.
                let flags = try ServeOptions.flags(options.mapValues { $0.render { _ in "5432" } })
                #expect(throws: Never.self, Comment(rawValue: "\(name):\(step.line): \(flags)")) { try AnalyzerServer.ServeOptions.parse(flags) }
            }
        }
        #expect(starts >= 6)
        // And a misspelt option is csv-analyzer's to refuse, with its own words.
        let typo = try ServeOptions.flags(["wokers": "2"])
        #expect(throws: (any Error).self) { try AnalyzerServer.ServeOptions.parse(typo) }
    }
}
