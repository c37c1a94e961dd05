import DrillKit
import Foundation
import Testing
@testable import GateKit
import LoadKit

/// Input `firedrill compare` refuses with exit 65 and a message naming the file.
@Suite struct BadInputTests {
    static func write(_ text: String, _ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gate-bad-\(UUID().uuidString)-\(name)")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func goodFile(name: String = "GET /") throws -> String {
        var rng = SyntheticRun.random(seed: 1)
        let data = try SyntheticRun.json(SyntheticRun.intervals(count: 8, requests: 50, factor: 1, rng: &rng), names: [name])
        return try write(String(decoding: data, as: UTF8.self), "run.json")
    }

    /// The message of the GateError reading or comparing `base` and `new` throws, and the CLI's exit code.
    static func failure(_ base: String, _ new: String) throws -> (String, Int32?) {
        var message = ""
        do {
            _ = try ComparisonInput.compare(try ComparisonInput.read(base), try ComparisonInput.read(new),
                                            baseLabel: base, newLabel: new, settings: GateSettings())
        } catch {
            message = error.description
        }
        return (message, try FiredrillBinary.run(["compare", base, new])?.code)
    }

    @Test func runsOfDifferentScenariosAreRefused() throws {
        let a = try Self.goodFile(name: "GET /a"), b = try Self.goodFile(name: "POST /b")
        let (message, code) = try Self.failure(a, b)
        #expect(message.contains("share no request name") && message.contains(a) && message.contains("POST /b"), "\(message)")
        if let code { #expect(code == 65) }
    }

    @Test func aLocustCSVIsRefused() throws {
        let csv = try Self.write("Type,Name,Request Count,Failure Count\nGET,/,10,0\n", "peak_stats.csv")
        let (message, code) = try Self.failure(try Self.goodFile(), csv)
        #expect(message.hasPrefix(csv) && message.contains("Locust CSV"), "\(message)")
        if let code { #expect(code == 65) }
    }

    @Test func aTruncatedFileIsRefused() throws {
        let good = try Self.goodFile()
        let text = try String(contentsOfFile: good, encoding: .utf8)
        let cut = try Self.write(String(text.prefix(text.count / 2)), "cut.json")
        let (message, code) = try Self.failure(good, cut)
        #expect(message.hasPrefix(cut) && message.contains("not valid JSON"), "\(message)")
        if let code { #expect(code == 65) }
        let (empty, _) = try Self.failure(good, try Self.write("", "empty.json"))
        #expect(empty.contains("the file is empty"))
    }

    @Test func aLoadSummaryAndAJournalAreRefused() throws {
        let journal = try Self.write(#"{"runbook": "r.md", "keyTimes": {}}"#, "journal.json")
        let (message, _) = try Self.failure(try Self.goodFile(), journal)
        #expect(message.contains(journal), "\(message)")
    }
}
