import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What a load scenario sends: the rows of the feeders its `json_row` requests read, with their
/// task weights, taken from the scenario file itself so that the tests follow the scenarios.
struct ScenarioTraffic {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scenarios")

    /// One kind of prediction row the scenario sends: the feeder's rows (target column kept apart), and how often.
    struct Source {
        let feeder: String
        let weight: Int
        let header: [String]
        let rows: [[String]]
    }

    let name: String
    let sources: [Source]
    /// The CSV file the scenario's setup uploads and trains on.
    let trainingFile: URL

    init(_ scenario: String) throws {
        name = scenario
        let url = Self.directory.appendingPathComponent(scenario + ".yaml")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // feeders:  NAME: {file: data/x.csv, mode: random}
        var files: [String: String] = [:]
        for line in lines {
            if let m = line.firstMatch(of: /^\s+([\w-]+): \{file: ([^,}]+)/) { files[String(m.1)] = String(m.2).trimmingCharacters(in: .whitespaces) }
        }
        var sources: [Source] = []
        for (i, line) in lines.enumerated() {
            guard let m = line.firstMatch(of: /json_row: \{feeder: ([\w-]+)/) else { continue }
            let feeder = String(m.1)
            // The nearest `weight:` above is the weight of the task that sends this row.
            let weight = lines[..<i].reversed().lazy.compactMap { $0.firstMatch(of: /^\s+weight: (\d+)/).map { Int($0.1)! } }.first ?? 1
            let file = try #require(files[feeder], "\(scenario).yaml: feeder \(feeder) is not declared")
            let text = try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8)
            let table = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            sources.append(Source(feeder: feeder, weight: weight, header: table[0], rows: Array(table.dropFirst())))
        }
        self.sources = sources
        let upload = try #require(lines.first { $0.contains("file: {path: ") }?.firstMatch(of: /file: \{path: ([^,}]+)/), "\(scenario).yaml uploads no dataset")
        trainingFile = Self.directory.appendingPathComponent(String(upload.1))
    }

    /// `count` prediction rows as the scenario would draw them (task by weight, row at random),
    /// each with its true label (`target`) kept apart.
    func draw(_ count: Int, seed: UInt64) -> [(row: [String: Double], label: String, feeder: String)] {
        var rng = SplitMix(seed: seed)
        let total = sources.reduce(0) { $0 + $1.weight }
        return (0..<count).map { _ in
            var pick = Int(rng.next() % UInt64(total))
            let source = sources.first { pick -= $0.weight; return pick < 0 }!
            let fields = source.rows[Int(rng.next() % UInt64(source.rows.count))]
            var row: [String: Double] = [:]
            var label = ""
            for (name, value) in zip(source.header, fields) {
                if name == "target" { label = value } else { row[name] = Double(value)! }
            }
            return (row, label, source.feeder)
        }
    }
}

/// A small deterministic generator for the tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension TestClientProtocol {
    /// Uploads a CSV file from disk and trains a logistic regression on `target`; returns the model id.
    func trainModel(on file: URL, algorithm: String = "logistic_regression", name: String? = nil) async throws -> String {
        let upload = try await call(.post, "/api/datasets?name=\(file.deletingPathExtension().lastPathComponent)", body: try Data(contentsOf: file), contentType: "text/csv")
        let dataset = try #require(upload.json["id"] as? String, "\(upload.text)")
        var body: [String: Any] = ["dataset": dataset, "target": "target", "algorithm": algorithm]
        if let name { body["name"] = name }
        let model = try await json(.post, "/api/models", body)
        #expect(model.status == .created, "\(model.text)")
        return try #require(model.json["id"] as? String, "\(model.text)")
    }

    /// Predicts `rows` in batches; returns one (prediction id, predicted label) per row.
    func predictAll(_ model: String, _ rows: [[String: Double]], batch: Int = 10) async throws -> [(id: String, label: String)] {
        var out: [(String, String)] = []
        var start = 0
        while start < rows.count {
            let chunk = Array(rows[start..<min(start + batch, rows.count)])
            let reply = try await json(.post, "/api/models/\(model)/predict", chunk)
            #expect(reply.status == .ok, "\(reply.text)")
            for p in reply.json["predictions"] as? [[String: Any]] ?? [] {
                out.append((p["prediction_id"] as? String ?? "", p["prediction"] as? String ?? ""))
            }
            start += batch
        }
        return out
    }

    /// The value of one series in `/metrics` (nil when absent).
    func metric(_ name: String, model: String, extra: String = "") async throws -> Double? {
        let text = try await call(.get, "/metrics").text
        let prefix = "\(name){model=\"\(model)\"\(extra.isEmpty ? "" : "," + extra)} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }
}
