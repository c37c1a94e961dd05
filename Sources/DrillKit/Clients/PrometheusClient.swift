import FiredrillSupport
import Foundation

/// Reads Prometheus' HTTP API (`/api/v1/query`, `/api/v1/alerts`).
public struct PrometheusClient: Sendable {
    /// Prometheus' base URL, e.g. `http://127.0.0.1:9090`.
    public let baseURL: String
    /// Per-call deadline.
    public let timeout: Duration

    /// Creates a client for the Prometheus at `baseURL`.
    public init(baseURL: String, timeout: Duration = .seconds(10)) {
        self.baseURL = URLText.base(baseURL)
        self.timeout = timeout
    }

    /// Evaluates `promQL` now: an instant vector's samples, or one label-less sample for a scalar.
    /// - Throws: `ControlError` when Prometheus is unreachable, refuses the query, or answers a matrix/string.
    public func query(_ promQL: String) async throws -> [Sample] {
        let data = try await call("/api/v1/query?" + HTTPJSON.query(["query": promQL]))
        let result = data["result"]
        switch data["resultType"] as? String {
        case "vector":
            return try (result as? [Any] ?? []).map { element -> Sample in
                let object = element as? [String: Any] ?? [:]
                return try Self.sample(object["value"], labels: HTTPJSON.labels(object["metric"]))
            }
        case "scalar":
            return [try Self.sample(result, labels: [:])]
        case let other:
            throw ControlError(message: "query \(promQL): expected an instant vector or scalar, got \(other ?? "nothing")")
        }
    }

    /// One series of a range query: its labels and its `(time, value)` points, oldest first.
    public struct RangeSeries: Sendable, Equatable {
        public var labels: [String: String]
        /// Seconds since the epoch and the value at that time.
        public var points: [(time: Double, value: Double)]

        public init(labels: [String: String], points: [(time: Double, value: Double)]) {
            self.labels = labels
            self.points = points
        }

        public static func == (a: RangeSeries, b: RangeSeries) -> Bool {
            a.labels == b.labels && a.points.map(\.time) == b.points.map(\.time) && a.points.map(\.value) == b.points.map(\.value)
        }
    }

    /// Evaluates `promQL` over `[start, end]` every `step` seconds (`/api/v1/query_range`).
    /// - Throws: `ControlError` when Prometheus is unreachable or refuses the query.
    public func queryRange(_ promQL: String, start: Date, end: Date, step: Double) async throws -> [RangeSeries] {
        let data = try await call("/api/v1/query_range?" + HTTPJSON.query([
            "query": promQL, "start": String(format: "%.3f", start.timeIntervalSince1970),
            "end": String(format: "%.3f", end.timeIntervalSince1970), "step": String(format: "%.3f", step),
        ]))
        guard data["resultType"] as? String == "matrix" else {
            throw ControlError(message: "query_range \(promQL): expected a matrix, got \(data["resultType"] ?? "nothing")")
        }
        return (data["result"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.map { object in
            let points = (object["values"] as? [Any] ?? []).compactMap { pair -> (time: Double, value: Double)? in
                guard let pair = pair as? [Any], pair.count == 2, let time = HTTPJSON.number(pair[0]),
                      let value = HTTPJSON.number(pair[1]) else { return nil }
                return (time, value)
            }
            return RangeSeries(labels: HTTPJSON.labels(object["metric"]), points: points)
        }
    }

    /// The alerts Prometheus currently holds as pending or firing.
    public func alerts() async throws -> [PrometheusAlert] {
        let data = try await call("/api/v1/alerts")
        return (data["alerts"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.map { object in
            let labels = HTTPJSON.labels(object["labels"])
            return PrometheusAlert(name: labels["alertname"] ?? "", state: object["state"] as? String ?? "",
                                   labels: labels, activeAt: HTTPJSON.date(object["activeAt"]),
                                   annotations: HTTPJSON.labels(object["annotations"]))
        }
    }

    private func call(_ pathAndQuery: String) async throws -> [String: Any] {
        let object = try await HTTPJSON.get(baseURL + pathAndQuery, timeout: timeout) as? [String: Any] ?? [:]
        guard object["status"] as? String == "success" else {
            throw ControlError(message: "GET \(pathAndQuery): \(object["errorType"] ?? "error"): \(object["error"] ?? "no status")")
        }
        return object["data"] as? [String: Any] ?? [:]
    }

    static func sample(_ pair: Any?, labels: [String: String]) throws -> Sample {
        guard let pair = pair as? [Any], pair.count == 2, let time = HTTPJSON.number(pair[0]), let value = HTTPJSON.number(pair[1]) else {
            throw ControlError(message: "malformed sample \(String(describing: pair))")
        }
        return Sample(labels: labels, timestamp: time, value: value)
    }
}
