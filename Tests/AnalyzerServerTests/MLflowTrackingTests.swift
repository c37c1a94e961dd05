import AnalyzerServer
import AnalyzerStore
import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// Every training is logged to a real MLflow tracking server (`scripts/mlflow start`, exported as
/// `FIREDRILL_TEST_MLFLOW_URI` by `scripts/test`) and read back through MLflow's own REST API; an
/// unreachable server never fails a training.
@Suite struct MLflowTrackingTests {
    static let uri = ProcessInfo.processInfo.environment["FIREDRILL_TEST_MLFLOW_URI"].flatMap { $0.isEmpty ? nil : $0 }
    static let skipReason: Comment = "FIREDRILL_TEST_MLFLOW_URI is not set: MLflow test skipped (scripts/test starts `mlflow server` with scripts/mlflow and sets it)"

    static func mlflow(_ path: String) async throws -> [String: Any] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: uri! + path), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 << 20)
        #expect(response.status == .ok, "\(path): \(String(buffer: body))")
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
    }

    /// Polls `GET /api/runs/{id}` until MLflow logging is done (bounded).
    static func waitForMLflow(_ client: any TestClientProtocol, run: String, timeout: Duration = .seconds(60)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            last = try await client.call(.get, "/api/runs/\(run)").json
            if let status = (last["mlflow"] as? [String: Any])?["status"] as? String, status != "pending" { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("MLflow logging did not finish: \(last)")
        return last
    }

    @Test(.enabled(if: uri != nil, skipReason), .timeLimit(.minutes(3)))
    func aTrainingRunIsLoggedAndMLflowReturnsTheSameMetrics() async throws {
        let datasetName = "iris-\(UUID().uuidString.prefix(8))"
        try await TestService.run(configure: { $0.mlflowTrackingURI = Self.uri }) { client, _ in
            let upload = try await client.call(.post, "/api/datasets?name=\(datasetName)", body: try TestService.fixture("iris.csv"), contentType: "text/csv")
            let datasetID = try #require(upload.json["id"] as? String)
            let trained = try await client.json(.post, "/api/models", ["dataset": datasetID, "target": "target", "algorithm": "random_forest", "params": ["n_estimators": 20]])
            #expect(trained.status == .created, "\(trained.text)")
            let model = try #require(trained.json["id"] as? String)
            let runs = try #require(try await client.call(.get, "/api/runs?model=\(model)").json["runs"] as? [[String: Any]])
            let runID = try #require(runs.first?["id"] as? String)
            let run = try await Self.waitForMLflow(client, run: runID)
            let tracking = try #require(run["mlflow"] as? [String: Any])
            #expect(tracking["status"] as? String == "logged", "\(tracking)")
            let mlflowRun = try #require(tracking["run_id"] as? String)

            // Read it back through MLflow's API.
            let fetched = try #require(try await Self.mlflow("/api/2.0/mlflow/runs/get?run_id=\(mlflowRun)")["run"] as? [String: Any])
            let info = try #require(fetched["info"] as? [String: Any])
            #expect(info["status"] as? String == "FINISHED")
            #expect(info["experiment_id"] as? String == tracking["experiment_id"] as? String)
            let data = try #require(fetched["data"] as? [String: Any])
            var metrics: [String: Double] = [:]
            for m in data["metrics"] as? [[String: Any]] ?? [] { metrics[m["key"] as! String] = (m["value"] as? NSNumber)?.doubleValue }
            let ours = try #require(run["metrics"] as? [String: Double])
            #expect(!ours.isEmpty && metrics == ours, "MLflow metrics \(metrics) vs run \(ours)")
            let accuracy = ((trained.json["evaluation"] as? [String: Any])?["classification"] as? [String: Any])?["accuracy"] as? Double
            #expect(metrics["accuracy"] == accuracy)
            var params: [String: String] = [:]
            for p in data["params"] as? [[String: Any]] ?? [] { params[p["key"] as! String] = p["value"] as? String }
            #expect(params == run["params"] as? [String: String])
            #expect(params["n_estimators"] == "20" && params["algorithm"] == "random_forest")
            var tags: [String: String] = [:]
            for t in data["tags"] as? [[String: Any]] ?? [] { tags[t["key"] as! String] = t["value"] as? String }
            let dataset = try #require(run["dataset"] as? [String: Any])
            #expect(tags["dataset.sha256"] == dataset["sha256"] as? String)
            #expect(tags["dataset.rows"] == "150" && tags["dataset.columns"] == "5")
            #expect(tags["csv_analyzer.model_id"] == model && tags["csv_analyzer.model_version"] == "1")
            #expect(tags["mlflow.runName"] == "\(trained.json["name"] as! String) v1")

            // The experiment is the dataset's; the model artifact is attached.
            let experiment = try #require(try await Self.mlflow("/api/2.0/mlflow/experiments/get?experiment_id=\(info["experiment_id"] as! String)")["experiment"] as? [String: Any])
            #expect(experiment["name"] as? String == "csv-analyzer/\(datasetName)")
            let artifacts = try await Self.mlflow("/api/2.0/mlflow/artifacts/list?run_id=\(mlflowRun)&path=model")
            let files = (artifacts["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
            #expect(files == ["model/\(model).model"], "\(artifacts)")

            // A retrain is a second run in the same experiment.
            let retrained = try await client.call(.post, "/api/models/\(model)/retrain")
            let second = try #require(retrained.json["id"] as? String)
            let secondRunID = try #require((try await client.call(.get, "/api/runs?model=\(second)").json["runs"] as? [[String: Any]])?.first?["id"] as? String)
            let secondRun = try await Self.waitForMLflow(client, run: secondRunID)
            #expect((secondRun["mlflow"] as? [String: Any])?["experiment_id"] as? String == info["experiment_id"] as? String)
            #expect(secondRun["model_version"] as? Int == 2)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnreachableServerNeverFailsATraining() async throws {
        // A port nothing listens on: every attempt fails fast, the run ends as failed.
        let closed = try Self.closedPort()
        try await TestService.run(configure: {
            $0.mlflowTrackingURI = "http://127.0.0.1:\(closed)"
            $0.monitoring.mlflowMaxAttempts = 3
            $0.monitoring.mlflowRetryDelay = 0.05
            $0.monitoring.mlflowRequestTimeout = 1
        }) { client, _ in
            let model = try await client.trainModel(on: TestService.fixtures.appendingPathComponent("iris.csv"))
            let runID = try #require((try await client.call(.get, "/api/runs?model=\(model)").json["runs"] as? [[String: Any]])?.first?["id"] as? String)
            let run = try await Self.waitForMLflow(client, run: runID, timeout: .seconds(30))
            let tracking = try #require(run["mlflow"] as? [String: Any])
            #expect(tracking["status"] as? String == "failed")
            #expect((tracking["error"] as? String)?.isEmpty == false)
            #expect(run["status"] as? String == "finished", "the training itself succeeded")
            let predicted = try await client.json(.post, "/api/models/\(model)/predict", ["sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4, "petal width (cm)": 0.2])
            #expect(predicted.status == .ok)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func runsLeftPendingByAStoppedProcessAreResubmitted() async throws {
        let closed = try Self.closedPort()
        let dir = TestService.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await TestService.run(dataDirectory: dir, configure: {
            $0.mlflowTrackingURI = "http://127.0.0.1:\(closed)"
            $0.monitoring.mlflowMaxAttempts = 1
            $0.monitoring.mlflowRequestTimeout = 1
        }) { client, analyzer in
            // Two runs a process left `pending`: one long ago (orphaned), one just now (maybe still logging).
            let store = try await SQLiteStore.open(path: dir.appendingPathComponent("csv-analyzer.sqlite").path)
            let now = Date().timeIntervalSince1970
            func run(_ id: String, finishedAt: Double) -> RunRecord {
                RunRecord(id: id, modelId: "m_gone", modelName: "iris", modelVersion: 1, datasetId: "ds_gone", datasetName: "iris",
                          datasetSHA256: "", datasetRows: 150, datasetColumns: 5, status: .finished, paramsJSON: "{}",
                          metricsJSON: #"{"accuracy":0.9}"#, durationSeconds: 1, artifactPath: nil, artifactBytes: nil,
                          startedAt: finishedAt - 1, finishedAt: finishedAt, mlflowStatus: .pending)
            }
            try await store.insertRun(run("run_orphan", finishedAt: now - 3600))
            try await store.insertRun(run("run_recent", finishedAt: now - 5))
            try await store.close()

            #expect(try await analyzer.resubmitOrphanedRuns(now: now) == ["run_orphan"])
            // Picked up and attempted: with the server down and one attempt, it ends `failed`.
            let orphan = try await Self.waitForMLflow(client, run: "run_orphan", timeout: .seconds(30))
            #expect((orphan["mlflow"] as? [String: Any])?["status"] as? String == "failed", "\(orphan)")
            let recent = try await client.call(.get, "/api/runs/run_recent").json
            #expect((recent["mlflow"] as? [String: Any])?["status"] as? String == "pending")
        }
    }

    /// A loopback port that was free a moment ago (bound, then closed).
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A flaky front of the MLflow server: answers 503 to the first `failures` calls, then forwards
/// every call to the real server (proves that a failed attempt is retried and the run still lands).
actor FlakyMLflowProxy {
    let target: String
    private var failuresLeft: Int
    private(set) var refused = 0

    init(target: String, failures: Int) {
        self.target = target
        failuresLeft = failures
    }

    func shouldRefuse() -> Bool {
        guard failuresLeft > 0 else { return false }
        failuresLeft -= 1
        refused += 1
        return true
    }

    /// Runs the proxy on 127.0.0.1 (free port) for the duration of `body`.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        let proxy = self
        router.add(middleware: ForwardMiddleware(proxy: proxy))
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var port = 0
        for await p in stream { port = p; break }
        return try await body("http://127.0.0.1:\(port)")
    }

    struct ForwardMiddleware: RouterMiddleware {
        typealias Context = BasicRequestContext
        let proxy: FlakyMLflowProxy

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            if await proxy.shouldRefuse() {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: #"{"error_code":"TEMPORARILY_UNAVAILABLE","message":"flaky"}"#)))
            }
            var forward = HTTPClientRequest(url: proxy.target + (request.uri.string))
            forward.method = HTTPMethod(rawValue: request.method.rawValue)
            if let type = request.headers[.contentType] { forward.headers.add(name: "Content-Type", value: type) }
            forward.body = .bytes(try await request.body.collect(upTo: 64 << 20))
            let response = try await HTTPClient.shared.execute(forward, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 64 << 20)
            var headers = HTTPFields()
            headers[.contentType] = response.headers.first(name: "Content-Type") ?? "application/json"
            return Response(status: .init(code: Int(response.status.code)), headers: headers, body: .init(byteBuffer: body))
        }
    }
}

extension MLflowTrackingTests {
    @Test(.enabled(if: uri != nil, skipReason), .timeLimit(.minutes(2)))
    func aFailedAttemptIsRetriedAndTheRunStillLands() async throws {
        let proxy = FlakyMLflowProxy(target: Self.uri!, failures: 2)
        try await proxy.serve { flaky in
            try await TestService.run(configure: {
                $0.mlflowTrackingURI = flaky
                $0.monitoring.mlflowRetryDelay = 0.1
            }) { client, _ in
                let model = try await client.trainModel(on: TestService.fixtures.appendingPathComponent("iris.csv"))
                let runID = try #require((try await client.call(.get, "/api/runs?model=\(model)").json["runs"] as? [[String: Any]])?.first?["id"] as? String)
                let run = try await Self.waitForMLflow(client, run: runID)
                let tracking = try #require(run["mlflow"] as? [String: Any])
                #expect(tracking["status"] as? String == "logged", "\(tracking)")
                let mlflowRun = try #require(tracking["run_id"] as? String)
                let fetched = try await Self.mlflow("/api/2.0/mlflow/runs/get?run_id=\(mlflowRun)")
                #expect(((fetched["run"] as? [String: Any])?["info"] as? [String: Any])?["status"] as? String == "FINISHED")
            }
        }
        #expect(await proxy.refused == 2, "the first two calls failed and were retried")
    }
}
