import FiredrillSupport
import Foundation

/// How csv-analyzer watches its models: the drift window, the live-quality window and MLflow.
public struct MonitoringSettings: Sendable, Codable, Equatable {
    /// Most recent prediction rows per model that PSI compares with the training sample (`--drift-window`).
    public var driftWindow: Int = 1000
    /// Rows older than this many seconds leave the drift window (`--drift-window-age`); nil = no age limit.
    public var driftWindowAge: Double?
    /// Fewest rows in a worker's drift window before it exports `feature_psi`/`model_psi_max`: PSI of a
    /// handful of rows is noise, and with several workers the largest (noisiest) value would win.
    public var driftMinimumRows: Int = 100
    /// Labelled predictions per model that live accuracy/F1 or MAE/R² cover (`--feedback-window`).
    public var feedbackWindow: Int = 500
    /// MLflow tracking server (`MLFLOW_TRACKING_URI`), e.g. `http://127.0.0.1:5000`; nil = off.
    public var mlflowTrackingURI: String?
    /// Attempts to log one run to MLflow before giving up.
    public var mlflowMaxAttempts: Int = 6
    /// Delay before the first retry, doubled after each failure (seconds).
    public var mlflowRetryDelay: Double = 1
    /// Deadline of one MLflow REST call (seconds); an unreachable server fails an attempt after it.
    public var mlflowRequestTimeout: Double = 10

    public init() {}

    /// Seconds in a duration such as `600`, `90s`, `10m`, `1h30m` or `1.5h` (``DurationText``'s
    /// grammar); nil when malformed or not positive.
    public static func seconds(_ text: String) -> Double? {
        DurationText.seconds(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
