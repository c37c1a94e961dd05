import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small client of MLflow's tracking REST API 2.0 (`/api/2.0/mlflow/…`): experiments by name,
/// runs, batched params/metrics/tags, run status, and artifact upload through the tracking
/// server's artifact proxy (`mlflow-artifacts:` URIs).
struct MLflowClient: Sendable {
    /// The tracking URI without a trailing slash, e.g. `http://127.0.0.1:5000`.
    let baseURL: String
    let http: HTTPClient
    let timeout: TimeAmount

    /// MLflow's batch limits (`runs/log-batch`).
    static let maxMetricsPerBatch = 1000
    static let maxParamsPerBatch = 100
    static let maxTagsPerBatch = 100
    /// Param values are cut to this length (older servers refuse longer ones).
    static let maxParamLength = 500

    init(trackingURI: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)) {
        var base = trackingURI
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        self.http = http
        self.timeout = timeout
    }

    /// The id of the experiment called `name`, created when missing (a concurrent creation is fine).
    func experimentID(named name: String) async throws -> String {
        if let id = try await existingExperiment(named: name) { return id }
        do {
            let reply = try await post("experiments/create", ["name": name])
            guard let id = reply["experiment_id"] as? String else { throw MLflowError(status: nil, code: nil, message: "experiments/create: no experiment_id") }
            return id
        } catch let error as MLflowError where error.code == "RESOURCE_ALREADY_EXISTS" {
            if let id = try await existingExperiment(named: name) { return id }
            throw error
        }
    }

    private func existingExperiment(named name: String) async throws -> String? {
        do {
            let reply = try await get("experiments/get-by-name", query: ["experiment_name": name])
            return (reply["experiment"] as? [String: Any])?["experiment_id"] as? String
        } catch let error as MLflowError where error.code == "RESOURCE_DOES_NOT_EXIST" || error.status == 404 {
            return nil
        }
    }

    /// Creates a run; returns its id and artifact URI.
    func createRun(experimentID: String, name: String, startTimeMs: Int64, tags: [(String, String)]) async throws -> (id: String, artifactURI: String?) {
        let reply = try await post("runs/create", [
            "experiment_id": experimentID, "run_name": name, "start_time": startTimeMs,
            "tags": tags.map { ["key": $0.0, "value": $0.1] },
        ])
        guard let info = (reply["run"] as? [String: Any])?["info"] as? [String: Any], let id = info["run_id"] as? String else {
            throw MLflowError(status: nil, code: nil, message: "runs/create: no run id in the reply")
        }
        return (id, info["artifact_uri"] as? String)
    }

    /// Logs params, metrics (all at `timestampMs`, step 0) and tags, in batches within MLflow's limits.
    func logBatch(runID: String, metrics: [(String, Double)], params: [(String, String)], tags: [(String, String)], timestampMs: Int64) async throws {
        var metrics = metrics[...], params = params[...], tags = tags[...]
        repeat {
            let m = metrics.prefix(Self.maxMetricsPerBatch), p = params.prefix(Self.maxParamsPerBatch), t = tags.prefix(Self.maxTagsPerBatch)
            metrics = metrics.dropFirst(m.count)
            params = params.dropFirst(p.count)
            tags = tags.dropFirst(t.count)
            _ = try await post("runs/log-batch", [
                "run_id": runID,
                "metrics": m.map { ["key": $0.0, "value": $0.1, "timestamp": timestampMs, "step": 0] as [String: Any] },
                "params": p.map { ["key": $0.0, "value": String($0.1.prefix(Self.maxParamLength))] },
                "tags": t.map { ["key": $0.0, "value": $0.1] },
            ])
        } while !(metrics.isEmpty && params.isEmpty && tags.isEmpty)
    }

    /// Ends a run: `FINISHED` or `FAILED`.
    func updateRun(runID: String, status: String, endTimeMs: Int64) async throws {
        _ = try await post("runs/update", ["run_id": runID, "status": status, "end_time": endTimeMs])
    }

    /// Uploads `data` as `path` under the run's artifact URI. Only `mlflow-artifacts:/` URIs (the
    /// tracking server's artifact proxy) can be written over HTTP; other URIs throw.
    func uploadArtifact(artifactURI: String, path: String, data: Data) async throws {
        let scheme = "mlflow-artifacts:"
        guard artifactURI.hasPrefix(scheme) else {
            throw MLflowError(status: nil, code: nil, message: "artifact URI \(artifactURI) is not served by the tracking server")
        }
        var location = String(artifactURI.dropFirst(scheme.count))
        // `mlflow-artifacts:/1/run/artifacts` or `mlflow-artifacts://host:port/1/run/artifacts`.
        if location.hasPrefix("//") {
            location = String(location.dropFirst(2).drop { $0 != "/" })
        }
        while location.hasPrefix("/") { location.removeFirst() }
        let encoded = (location + "/" + path).split(separator: "/").map { Self.escape(String($0)) }.joined(separator: "/")
        var request = HTTPClientRequest(url: "\(baseURL)/api/2.0/mlflow-artifacts/artifacts/\(encoded)")
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = .bytes(ByteBuffer(data: data))
        _ = try await send(request, what: "artifact upload")
    }

    /// `runs/get`: the run as MLflow returns it (`run.info`, `run.data.metrics|params|tags`).
    func run(id: String) async throws -> [String: Any] {
        try await get("runs/get", query: ["run_id": id])
    }

    // MARK: HTTP

    private func get(_ endpoint: String, query: [String: String]) async throws -> [String: Any] {
        let q = query.sorted { $0.key < $1.key }.map { "\(Self.escape($0.key))=\(Self.escape($0.value))" }.joined(separator: "&")
        let request = HTTPClientRequest(url: "\(baseURL)/api/2.0/mlflow/\(endpoint)?\(q)")
        return try await send(request, what: endpoint)
    }

    private func post(_ endpoint: String, _ body: [String: Any]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: "\(baseURL)/api/2.0/mlflow/\(endpoint)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        return try await send(request, what: endpoint)
    }

    private func send(_ request: HTTPClientRequest, what: String) async throws -> [String: Any] {
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 8 << 20)
        } catch {
            throw MLflowError(status: nil, code: nil, message: "\(what): \(error)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        guard (200..<300).contains(Int(response.status.code)) else {
            let text = object["message"] as? String ?? String(buffer: body).prefix(300).description
            throw MLflowError(status: Int(response.status.code), code: object["error_code"] as? String, message: "\(what): \(text)")
        }
        return object
    }

    private static func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
