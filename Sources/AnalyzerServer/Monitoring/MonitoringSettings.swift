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

    /// Seconds in a duration such as `600`, `90s`, `10m`, `1h30m` or `1.5h`; nil when malformed or not positive.
    public static func seconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let plain = Double(text) { return plain > 0 && plain.isFinite ? plain : nil }
        var total = 0.0
        var number = ""
        var units = 0
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c.isNumber || c == "." {
                number.append(c)
                index = text.index(after: index)
                continue
            }
            var unit = String(c)
            if c == "m", text.index(after: index) < text.endIndex, text[text.index(after: index)] == "s" {
                unit = "ms"
                index = text.index(after: index)
            }
            index = text.index(after: index)
            guard let value = Double(number) else { return nil }
            switch unit {
            case "ms": total += value / 1000
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
            number = ""
            units += 1
        }
        guard number.isEmpty, units > 0, total > 0 else { return nil }
        return total
    }
}
