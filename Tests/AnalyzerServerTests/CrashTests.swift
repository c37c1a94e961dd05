import Foundation
import Testing

/// Nothing lost: a `kill -9` of the real csv-analyzer in the middle of an upload or a background
/// training leaves the whole dataset/model or none of it, and the restart removes partial files.
/// Each test runs against SQLite and PostgreSQL.
@Suite(.serialized) struct CrashTests {
    enum Backend: String, CustomTestStringConvertible, Sendable {
        case sqlite, postgresql
        var testDescription: String { rawValue }
        static var available: [Backend] { TestPostgres.url == nil ? [.sqlite] : [.sqlite, .postgresql] }
    }

    /// A data directory, a database and a log folder for one test; `cleanup` removes them.
    struct Setup {
        let data: URL
        let logs: URL
        let databaseURL: String?
        let cleanup: @Sendable () -> Void

        init(_ backend: Backend) throws {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
            data = root.appendingPathComponent("data")
            logs = root.appendingPathComponent("logs")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            switch backend {
            case .sqlite:
                databaseURL = nil
                cleanup = { try? FileManager.default.removeItem(at: root) }
            case .postgresql:
                let (url, drop) = try TestPostgres.freshDatabase()
                databaseURL = url
                cleanup = {
                    drop()
                    try? FileManager.default.removeItem(at: root)
                }
            }
        }

        func files(_ sub: String) -> [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent(sub).path)) ?? []
        }
    }

    /// A CSV of `rows` synthetic rows (numbers and a category; a two-class target).
    static func syntheticCSV(rows: Int) -> Data {
        var text = "a,b,c,d,kind,target\n"
        text.reserveCapacity(rows * 40)
        var rng = SystemRandomNumberGenerator()
        let kinds = ["red", "green", "blue", "amber"]
        for _ in 0..<rows {
            let a = Double.random(in: 0..<10, using: &rng)
            let b = Double.random(in: -5..<5, using: &rng)
            let c = Int.random(in: 0..<100, using: &rng)
            let d = Double.random(in: 0..<1, using: &rng)
            let kind = kinds[Int.random(in: 0..<4, using: &rng)]
            let target = a + b > 5 ? "yes" : "no"
            text += String(format: "%.4f,%.4f,%d,%.5f,", a, b, c, d) + kind + "," + target + "\n"
        }
        return Data(text.utf8)
    }

    @Test(arguments: Backend.available)
    func killDuringUploadLeavesNoDataset(_ backend: Backend) async throws {
        let setup = try Setup(backend)
        defer { setup.cleanup() }
        let iris = try TestService.fixture("iris.csv")
        do {
            let service = try await ServiceProcess(dataDirectory: setup.data, databaseURL: setup.databaseURL, logDirectory: setup.logs)
            defer { service.kill9() }
            let kept = try await service.http.send("POST", "/api/datasets?name=kept", body: iris, contentType: "text/csv")
            #expect(kept.status == 201, "\(kept.text)")

            // Announce 40 MB, send 4 MB slowly, then kill the server while it streams to tmp/.
            let body = Self.syntheticCSV(rows: 100_000)
            let connection = try RawHTTP.Connection(port: service.port)
            defer { connection.close() }
            try connection.write(RawHTTP.head("POST", "/api/datasets?name=partial", contentType: "text/csv", length: 40_000_000))
            var sent = 0
            while sent < 4_000_000 {
                let chunk = body[body.startIndex + (sent % body.count)..<min(body.endIndex, body.startIndex + (sent % body.count) + 65_536)]
                try connection.write(Data(chunk))
                sent += chunk.count
                try await Task.sleep(for: .milliseconds(2))
            }
            // The partial upload is on disk in tmp/ (bounded wait, generous for a loaded machine).
            let deadline = ContinuousClock.now + .seconds(60)
            while setup.files("tmp").isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(!setup.files("tmp").isEmpty, "the upload never reached tmp/")
            service.kill9()
            #expect(!service.process.isRunning)
        }

        let restarted = try await ServiceProcess(dataDirectory: setup.data, databaseURL: setup.databaseURL, logDirectory: setup.logs)
        defer { restarted.stop() }
        let list = try await restarted.http.send("GET", "/api/datasets")
        let names = (list.json["datasets"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["kept"], "\(list.text)")
        #expect(setup.files("tmp").isEmpty, "partial files left in tmp/: \(setup.files("tmp"))")
        #expect(setup.files("datasets").count == 1, "\(setup.files("datasets"))")
        // The service still takes uploads.
        #expect(try await restarted.http.send("POST", "/api/datasets?name=after", body: iris, contentType: "text/csv").status == 201)
    }

    @Test(arguments: Backend.available)
    func killDuringTrainingLeavesNoHalfModel(_ backend: Backend) async throws {
        let setup = try Setup(backend)
        defer { setup.cleanup() }
        let modelID: String
        do {
            let service = try await ServiceProcess(
                dataDirectory: setup.data, databaseURL: setup.databaseURL, arguments: ["--sync-train-rows", "0"], logDirectory: setup.logs)
            defer { service.kill9() }
            let upload = try await service.http.send("POST", "/api/datasets?name=big", body: Self.syntheticCSV(rows: 200_000), contentType: "text/csv")
            #expect(upload.status == 201, "\(upload.text)")
            let dataset = try #require(upload.json["id"] as? String)
            let created = try await service.http.json("POST", "/api/models", ["dataset": dataset, "target": "target", "algorithm": "random_forest"])
            #expect(created.status == 202, "\(created.text)")
            modelID = try #require(created.json["id"] as? String)
            try await Task.sleep(for: .milliseconds(500))
            let status = try await service.http.send("GET", "/api/models/\(modelID)")
            #expect(status.json["status"] as? String == "training", "\(status.text)")
            service.kill9()
        }

        let restarted = try await ServiceProcess(
            dataDirectory: setup.data, databaseURL: setup.databaseURL, arguments: ["--sync-train-rows", "0"], logDirectory: setup.logs)
        defer { restarted.stop() }
        // The interrupted model is absent or complete: never a row without its artifact.
        let models = try await restarted.http.send("GET", "/api/models")
        let rows = try #require(models.json["models"] as? [[String: Any]], "\(models.text)")
        for row in rows {
            let id = try #require(row["id"] as? String)
            #expect(row["status"] as? String == "ready", "model \(id) left as \(row["status"] ?? "?") after the crash")
            #expect(setup.files("models").contains("\(id).model"), "model \(id) has no artifact")
        }
        #expect(rows.isEmpty || (rows.count == 1 && rows[0]["id"] as? String == modelID))
        #expect(try await restarted.http.send("GET", "/api/models/\(modelID)").status == (rows.isEmpty ? 404 : 200))
        #expect(setup.files("tmp").isEmpty, "partial files left in tmp/: \(setup.files("tmp"))")
        #expect(Set(setup.files("models")) == Set(rows.compactMap { ($0["id"] as? String).map { "\($0).model" } }))

        // Training still works after the restart (small and quick this time).
        let iris = try await restarted.http.send("POST", "/api/datasets?name=iris", body: try TestService.fixture("iris.csv"), contentType: "text/csv")
        let irisID = try #require(iris.json["id"] as? String)
        let again = try await restarted.http.json(
            "POST", "/api/models", ["dataset": irisID, "target": "target", "algorithm": "decision_tree", "params": ["max_depth": 3]])
        let againID = try #require(again.json["id"] as? String, "\(again.text)")
        let deadline = ContinuousClock.now + .seconds(60)
        var state = ""
        while ContinuousClock.now < deadline {
            state = try await restarted.http.send("GET", "/api/models/\(againID)").json["status"] as? String ?? ""
            if state != "training" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(state == "ready")
    }
}
