import Foundation

/// Reads an incident window from Prometheus (and optionally Alertmanager): the curves and alert
/// spans of an `IncidentRecord`, plus the `IncidentInference.Signals` a generated drill is set up from.
public struct IncidentReader: Sendable {
    public let prometheus: PrometheusClient
    public let alertmanager: AlertmanagerClient?
    /// The Prometheus job of the service (`csv-analyzer`).
    public let job: String

    public init(prometheus: PrometheusClient, alertmanager: AlertmanagerClient? = nil, job: String) {
        self.prometheus = prometheus
        self.alertmanager = alertmanager
        self.job = job
    }

    /// What `read` returns.
    public struct Reading: Sendable {
        public var record: IncidentRecord
        public var signals: IncidentInference.Signals
    }

    /// Samples per window: the step is the window / this, at least 1 s.
    public static let samples = 240.0

    /// Reads `[from, to]`.
    /// - Parameter incidentSecondsPerSecond: 1 for a real incident; 30 for a drill recorded at 1/30.
    /// - Throws: `ControlError` when Prometheus cannot be read, or when the window holds no request
    ///   of `job` (wrong job, wrong window, or Prometheus no longer keeps it).
    public func read(from: Date, to: Date, incidentSecondsPerSecond: Double = 1) async throws -> Reading {
        guard to > from else { throw ControlError(message: "--to must be after --from") }
        let step = max(1, (to.timeIntervalSince(from) / Self.samples).rounded())
        let window = "\(Int(max(4, 2 * step)))s"
        let j = "job=\"\(job)\""
        let traffic = "\(j), route!=\"/metrics\""
        func sampled(_ query: String) async throws -> [Double?] {
            align(try await prometheus.queryRange(query, start: from, end: to, step: step).first, from: from, to: to, step: step)
        }
        func byLabel(_ query: String, _ label: String) async throws -> [String: [Double?]] {
            var result: [String: [Double?]] = [:]
            for series in try await prometheus.queryRange(query, start: from, end: to, step: step) {
                result[series.labels[label] ?? ""] = align(series, from: from, to: to, step: step)
            }
            return result
        }
        let routes = try await byLabel("sum by (route) (rate(http_requests_total{\(traffic)}[\(window)]))", "route")
        let count = Int((to.timeIntervalSince(from) / step).rounded(.down)) + 1
        let total: [Double?] = (0..<count).map { i in
            let values = routes.values.compactMap { $0[i] }
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        guard total.contains(where: { ($0 ?? 0) > 0 }) else {
            throw ControlError(message: "Prometheus \(prometheus.baseURL) holds no request of job \"\(job)\" between \(from) and \(to): "
                               + "check --service (the job label), --from/--to, and that Prometheus still keeps that time")
        }
        var curves: [String: [Double?]] = [IncidentRecord.Curve.requestRate.rawValue: total]
        curves[IncidentRecord.Curve.errorRatio.rawValue] = try await sampled(
            "(sum(rate(http_requests_total{\(traffic), status=~\"5..\"}[\(window)])) or vector(0)) / sum(rate(http_requests_total{\(traffic)}[\(window)]))")
        curves[IncidentRecord.Curve.p95Seconds.rawValue] = try await sampled(
            "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{\(traffic)}[\(window)])))")
        curves[IncidentRecord.Curve.memoryRatio.rawValue] = try await sampled(
            "sum(csv_analyzer_resident_memory_bytes{\(j)}) / sum(process_memory_limit_bytes{\(j)} > 0)")

        let scale = incidentSecondsPerSecond
        var alerts = AlertSpans.spans(try await prometheus.queryRange("ALERTS", start: from, end: to, step: step),
                                      job: job, start: from.timeIntervalSince1970, end: to.timeIntervalSince1970, step: step, scale: scale)
        if let alertmanager {
            alerts = AlertSpans.merging(alerts, alertmanager: try await alertmanager.alerts(), job: job, start: from, end: to, scale: scale)
        }

        var signals = IncidentInference.Signals()
        signals.workersDesired = try await sampled("sum(csv_analyzer_workers_desired{\(j)})")
        signals.memoryLimit = try await sampled("max(process_memory_limit_bytes{\(j)})")
        signals.featureCache = try await sampled("sum(csv_analyzer_retained_bytes{\(j), component=\"feature_cache\"})")
        signals.predictions = try await sampled("sum(predictions_total{\(j)})")
        signals.requests = try await sampled("sum(http_requests_total{\(traffic)})")
        signals.restarts = try await byLabel("sum by (cause) (csv_analyzer_worker_restarts_total{\(j)})", "cause")
        signals.faults = try await byLabel("max by (fault) (csv_analyzer_fault_active{\(j)})", "fault")

        let record = IncidentRecord(job: job, from: from, to: to, incidentSecondsPerSecond: scale, step: step * scale,
                                    curves: curves.mapValues(Self.rounded), routes: routes.mapValues(Self.rounded), alerts: alerts)
        return Reading(record: record, signals: signals)
    }

    /// A series' values at `from, from + step, …, to` (nil where it has none).
    func align(_ series: PrometheusClient.RangeSeries?, from: Date, to: Date, step: Double) -> [Double?] {
        let count = Int((to.timeIntervalSince(from) / step).rounded(.down)) + 1
        var values = [Double?](repeating: nil, count: count)
        for point in series?.points ?? [] {
            let index = Int(((point.time - from.timeIntervalSince1970) / step).rounded())
            if values.indices.contains(index), point.value.isFinite { values[index] = point.value }
        }
        return values
    }

    /// Four significant digits: the record stays small and readable.
    static func rounded(_ values: [Double?]) -> [Double?] {
        values.map { value in
            value.map { v in
                guard v != 0 else { return 0 }
                let magnitude = pow(10, floor(log10(abs(v))) - 3)
                return (v / magnitude).rounded() * magnitude
            }
        }
    }
}
