import AnalyzerStore
import Logging
import Prometheus

/// Everything one process needs to watch its models: the drift windows, the recent predictions
/// that feedback resolves against, the monitoring gauges and (when configured) the MLflow logger.
final class ModelMonitoring: Sendable {
    let settings: ServerConfiguration
    let drift: DriftMonitor
    let recent: RecentPredictions
    let metrics: MonitoringMetrics
    let mlflow: MLflowLogger?

    /// Predictions this process remembers for feedback (beyond the prediction log).
    static let recentCapacity = 10_000

    init(settings: ServerConfiguration, store: any Store, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.settings = settings
        drift = DriftMonitor(capacity: settings.driftWindow, maxAge: settings.driftWindowAge?.secondsValue)
        recent = RecentPredictions(capacity: Self.recentCapacity)
        metrics = MonitoringMetrics(registry: registry)
        if let uri = settings.mlflowTrackingURI, !uri.isEmpty {
            let client = MLflowClient(trackingURI: uri, timeout: .milliseconds(Int64(max(0.1, settings.monitoring.mlflowRequestTimeout) * 1000)))
            mlflow = MLflowLogger(client: client, store: store, settings: settings.monitoring, logger: logger)
        } else {
            mlflow = nil
        }
    }

    /// Gives runs being logged to MLflow a few seconds to finish (before the store closes).
    func shutdown() async {
        await mlflow?.drain(timeout: .seconds(5))
    }
}
