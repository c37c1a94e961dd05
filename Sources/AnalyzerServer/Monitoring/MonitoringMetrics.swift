import AnalyzerCore
import Prometheus
import Synchronization

/// The model-monitoring series of the metrics contract: `feature_psi{model,feature}`,
/// `model_psi_max{model}`, `model_live_accuracy|f1_score|mae|r2{model}` and
/// `model_feedback_total{model}`, registered in the service's registry.
final class MonitoringMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let driftGauges = Mutex<[String: [Gauge]]>([:])
    private let liveGauges = Mutex<[String: [Gauge]]>([:])
    private let feedbackCounters = Mutex<[String: Counter]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Publishes a model's PSI per feature and the maximum; an empty report removes them.
    func setDrift(model: String, report: DriftReport?) {
        var gauges: [Gauge] = []
        if let report, let maxPSI = report.maxPSI {
            for feature in report.features {
                guard let psi = feature.psi else { continue }
                let g = registry.makeGauge(
                    descriptor: MetricNameDescriptor(
                        metricName: "feature_psi", unitName: "",
                        helpText: "PSI of the feature's live prediction inputs (sliding window) against the training sample."),
                    labels: [("model", model), ("feature", feature.feature)])
                g.set(psi)
                gauges.append(g)
            }
            let g = registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: "model_psi_max", unitName: "", helpText: "Largest feature PSI of the model."),
                labels: [("model", model)])
            g.set(maxPSI)
            gauges.append(g)
        }
        replace(in: driftGauges, model: model, with: gauges)
    }

    /// Publishes a model's rolling live scores; nil scores (or no labelled prediction) remove them.
    func setLive(model: String, report: LiveQualityReport?) {
        var gauges: [Gauge] = []
        func gauge(_ name: String, _ help: String, _ value: Double?) {
            guard let value, value.isFinite else { return }
            let g = registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: [("model", model)])
            g.set(value)
            gauges.append(g)
        }
        if let report, report.labelled > 0 {
            gauge("model_live_accuracy", "Accuracy over the last N labelled predictions (feedback).", report.accuracy)
            gauge("model_live_f1_score", "Macro F1 over the last N labelled predictions (feedback).", report.f1)
            gauge("model_live_mae", "Mean absolute error over the last N labelled predictions (feedback).", report.mae)
            gauge("model_live_r2", "R² over the last N labelled predictions (feedback).", report.r2)
        }
        replace(in: liveGauges, model: model, with: gauges)
    }

    /// Counts labels received for `model`.
    func recordFeedback(model: String, count: Int) {
        let counter = feedbackCounters.withLock { cache in
            if let counter = cache[model] { return counter }
            let counter = registry.makeCounter(
                descriptor: MetricNameDescriptor(metricName: "model_feedback", unitName: "total", helpText: "Labels (true outcomes) received, by model."),
                labels: [("model", model)])
            cache[model] = counter
            return counter
        }
        counter.increment(by: Int64(count))
    }

    /// Drops every series of a deleted model.
    func remove(model: String) {
        replace(in: driftGauges, model: model, with: [])
        replace(in: liveGauges, model: model, with: [])
        if let counter = feedbackCounters.withLock({ $0.removeValue(forKey: model) }) { registry.unregisterCounter(counter) }
    }

    /// Models with any monitoring series.
    var models: Set<String> {
        driftGauges.withLock { Set($0.keys) }.union(liveGauges.withLock { Set($0.keys) }).union(feedbackCounters.withLock { Set($0.keys) })
    }

    private func replace(in table: borrowing Mutex<[String: [Gauge]]>, model: String, with gauges: [Gauge]) {
        let old = table.withLock { table -> [Gauge] in
            let old = table[model] ?? []
            table[model] = gauges.isEmpty ? nil : gauges
            return old
        }
        // The registry hands out the same gauge for the same name and labels: keep those.
        for g in old where !gauges.contains(where: { $0 === g }) { registry.unregisterGauge(g) }
    }
}
