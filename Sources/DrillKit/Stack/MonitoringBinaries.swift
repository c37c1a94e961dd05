import Foundation

/// Finds executables (Prometheus, Alertmanager; firedrill uses it for csv-analyzer too) and explains what is missing.
public enum MonitoringBinaries {
    /// Names Prometheus is installed under.
    public static let prometheusNames = ["prometheus"]
    /// Names Alertmanager is installed under (Debian calls it `prometheus-alertmanager`).
    public static let alertmanagerNames = ["alertmanager", "prometheus-alertmanager"]
    /// Searched after PATH.
    public static let fallbackDirectories = ["/usr/bin", "/usr/local/bin"]

    /// The first executable called one of `names` on `PATH`, then in `fallbackDirectories`.
    public static func find(_ names: [String], path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        let directories = (path ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty } + fallbackDirectories
        for name in names {
            for directory in directories {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
            }
        }
        return nil
    }

    /// `explicit` when given (it must be executable), else the first of `names` found.
    /// - Throws: `ControlError` when `explicit` is not an executable file.
    static func resolve(explicit: URL?, names: [String], flag: String) throws -> URL? {
        guard let explicit else { return find(names) }
        guard FileManager.default.isExecutableFile(atPath: explicit.path) else {
            throw ControlError(message: "\(flag) \(explicit.path): no executable file there")
        }
        return explicit
    }

    /// What is missing and how to install it; nil when both were found.
    static func gap(prometheus: URL?, alertmanager: URL?) -> String? {
        let install = "Install them with `apt-get install prometheus prometheus-alertmanager` (Debian/Ubuntu), "
            + "download them from https://prometheus.io/download/, or pass --prometheus-bin/--alertmanager-bin."
        let looked = "on PATH or in \(fallbackDirectories.joined(separator: ", "))"
        switch (prometheus, alertmanager) {
        case (nil, nil):
            return "Prometheus and Alertmanager were not found (no \(prometheusNames.joined(separator: "/")) "
                + "or \(alertmanagerNames.joined(separator: "/")) \(looked)): alert expectations and Prometheus probes are skipped. "
                + install
        case (nil, _):
            return "Prometheus was not found (no \(prometheusNames.joined(separator: "/")) \(looked)), so neither it nor "
                + "Alertmanager was started: alert expectations and Prometheus probes are skipped. " + install
        case (_, nil):
            return "Alertmanager was not found (no \(alertmanagerNames.joined(separator: "/")) \(looked)): Prometheus runs (alert "
                + "expectations, probes and assertions work), but notification checks (`notified: true`) are skipped. " + install
        default:
            return nil
        }
    }
}
