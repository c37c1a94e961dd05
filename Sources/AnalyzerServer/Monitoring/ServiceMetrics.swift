import AnalyzerAPI
import Foundation
import Prometheus
import Synchronization

/// The service's Prometheus metrics: HTTP traffic by route template, prediction latency, model
/// quality gauges and process figures, exposed on `/metrics`.
public final class ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    private let memoryLimitBytes: Int64?
    private let requestCounters = Mutex<[RequestKey: Counter]>([:])
    private let requestDurations = Mutex<[RouteKey: DurationHistogram]>([:])
    private let modelGauges = Mutex<[String: [Gauge]]>([:])
    private let predictionCounters = Mutex<[String: Counter]>([:])
    let predictionDuration: DurationHistogram
    let memoryErrors: Counter
    /// Requests and readiness checks that failed because the store was unavailable.
    let storeErrors: Counter
    private let faultGauges: [FaultType: Gauge]

    /// Latency buckets from 1 ms to 10 s, with 0.5 s (the SLA) as an edge.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .microseconds(2_500_000), .seconds(5), .seconds(10),
    ]

    struct RequestKey: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    struct RouteKey: Hashable {
        let method: String
        let route: String
    }

    public init(memoryLimitBytes: Int64?) {
        self.memoryLimitBytes = memoryLimitBytes
        predictionDuration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "prediction_duration", unitName: "seconds",
                helpText: "Time to validate input, generate_features and predict, per request."),
            buckets: Self.latencyBuckets)
        memoryErrors = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "csv_analyzer", metricName: "memory_errors", unitName: "total",
                helpText: "MemoryErrors raised by generate_features (allocation over the worker's memory share)."))
        storeErrors = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "csv_analyzer", metricName: "store_errors", unitName: "total",
                helpText: "Requests and /readyz checks that failed because the store (database) was unavailable."))
        var gauges: [FaultType: Gauge] = [:]
        for type in FaultType.allCases {
            let gauge = registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "csv_analyzer", metricName: "fault_active", unitName: "",
                    helpText: "1 while a fault of this type is injected through the admin API."),
                labels: [("fault", type.rawValue)])
            gauge.set(0.0)
            gauges[type] = gauge
        }
        faultGauges = gauges
    }

    /// Publishes which fault types are active.
    func setActiveFaults(_ faults: [ActiveFault]) {
        let active = Set(faults.map(\.type))
        for (type, gauge) in faultGauges { gauge.set(active.contains(type) ? 1.0 : 0.0) }
    }

    /// Counts one finished HTTP request under its route template.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let counter = requestCounters.withLock { cache in
            let key = RequestKey(method: method, route: route, status: status)
            if let counter = cache[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "http_requests", unitName: "total", helpText: "HTTP requests by method, route template and status."),
                labels: [("method", method), ("route", route), ("status", String(status))])
            cache[key] = counter
            return counter
        }
        counter.increment()
        let histogram = requestDurations.withLock { cache in
            let key = RouteKey(method: method, route: route)
            if let histogram = cache[key] { return histogram }
            let histogram = registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    metricName: "http_request_duration", unitName: "seconds",
                    helpText: "HTTP request latency by method and route template."),
                labels: [("method", method), ("route", route)],
                buckets: Self.latencyBuckets)
            cache[key] = histogram
            return histogram
        }
        histogram.record(duration)
    }

    /// Counts predictions served by `model` (rows, not requests).
    func recordPredictions(model: String, count: Int) {
        let counter = predictionCounters.withLock { cache in
            if let counter = cache[model] { return counter }
            let counter = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "predictions", unitName: "total", helpText: "Rows predicted, by model."),
                labels: [("model", model)])
            cache[model] = counter
            return counter
        }
        counter.increment(by: Int64(count))
    }

    /// Publishes a model's held-out scores; classification sets accuracy and F1, regression R².
    func setModelQuality(model: String, accuracy: Double?, f1: Double?, r2: Double?) {
        var gauges: [Gauge] = []
        func gauge(_ name: String, _ help: String, _ value: Double?) {
            guard let value else { return }
            let g = registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help),
                labels: [("model", model)])
            g.set(value)
            gauges.append(g)
        }
        gauge("model_accuracy", "Held-out test-set accuracy of the model (classification).", accuracy)
        gauge("model_f1_score", "Held-out test-set macro F1 of the model (classification).", f1)
        gauge("model_r2", "Held-out test-set R² of the model (regression).", r2)
        modelGauges.withLock { $0[model] = gauges }
    }

    /// Drops the series of models not in `ids`.
    func retainModels(_ ids: Set<String>) {
        let gone = modelGauges.withLock { Array($0.keys) }.filter { !ids.contains($0) }
        for model in gone { removeModel(model) }
    }

    /// Drops a deleted model's series.
    func removeModel(_ model: String) {
        let gauges = modelGauges.withLock { $0.removeValue(forKey: model) } ?? []
        for g in gauges { registry.unregisterGauge(g) }
        if let counter = predictionCounters.withLock({ $0.removeValue(forKey: model) }) {
            registry.unregisterCounter(counter)
        }
    }

    /// The exposition text of a single-process service: registry metrics, then process metrics
    /// and memory attribution read now.
    func render(retained: [String: Int64]) -> [UInt8] {
        var buffer = registry.emitToBuffer()
        let stats = ProcessStats.current()
        var out = Self.processMetrics(stats, memoryLimitBytes: memoryLimitBytes)
        out += Self.gauge("csv_analyzer_resident_memory_bytes", "Memory in use by the service: the sum of its workers' RSS.", String(stats.residentBytes))
        out += Self.retainedMetrics(["0": retained])
        buffer.append(contentsOf: Array(out.utf8))
        return buffer
    }

    /// The registry's metrics alone (what a worker reports to its supervisor).
    func renderRegistry() -> [UInt8] { registry.emitToBuffer() }

    static func gauge(_ name: String, _ help: String, _ value: String, type: String = "gauge") -> String {
        "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
    }

    /// `csv_analyzer_retained_bytes{worker,component}` from per-worker component maps.
    static func retainedMetrics(_ byWorker: [String: [String: Int64]]) -> String {
        var out = "# HELP csv_analyzer_retained_bytes Bytes retained per component (memory attribution).\n# TYPE csv_analyzer_retained_bytes gauge\n"
        for worker in byWorker.keys.sorted() {
            for (component, bytes) in byWorker[worker]!.sorted(by: { $0.key < $1.key }) {
                out += "csv_analyzer_retained_bytes{worker=\"\(worker)\",component=\"\(component)\"} \(bytes)\n"
            }
        }
        return out
    }

    static func processMetrics(_ stats: ProcessStats, memoryLimitBytes: Int64?) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += gauge(name, help, value, type: type)
        }
        metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", String(stats.residentBytes))
        metric("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", String(stats.virtualBytes))
        metric("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", String(stats.cpuSeconds))
        metric("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", String(stats.startTimeSeconds))
        metric("process_open_fds", "gauge", "Number of open file descriptors.", String(stats.openFileDescriptors))
        metric(
            "process_memory_limit_bytes", "gauge", "The service's configured memory budget in bytes (0 = unlimited).",
            String(memoryLimitBytes ?? 0))
        return out
    }
}
