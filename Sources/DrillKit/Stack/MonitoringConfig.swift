import Foundation
import Yams

/// Generates a local drill stack's monitoring configuration from the repository's (pure functions).
///
/// - Rules: the repository's `alerts.yml` (or an override), time-compressed by `RuleScaler`.
/// - `prometheus.yml`: the repository's, scraping and evaluating every second, labelled
///   `drill="true"` (so Alertmanager routes the drill's alerts to the drill webhook only), with
///   loopback targets and only the jobs a local stack runs.
/// - `alertmanager.yml`: the repository's, with the `drill` receiver posting to the drill's
///   webhook and relative paths made absolute.
public enum MonitoringConfig {
    /// The scrape jobs a local stack runs; the repository's other jobs (node, firedrill) are dropped.
    public static let localJobs = ["csv-analyzer", "alertmanager", "prometheus"]
    /// The label every alert of a drill carries (Prometheus `external_labels`).
    public static let drillLabel = (name: "drill", value: "true")
    /// The shortest range window of the scaled rules: `rate()` needs two samples at a 1 s scrape.
    public static let minimumRange = PromDuration("4s")!

    /// The alerting rules, time-compressed by `timeScale`.
    /// - Parameters:
    ///   - repositoryRoot: the directory holding `alerts.yml`.
    ///   - rulesFile: a rules file to use instead of the repository's `alerts.yml`.
    public static func rules(repositoryRoot: URL, rulesFile: URL? = nil, timeScale: Double) throws -> String {
        let file = rulesFile ?? repositoryRoot.appendingPathComponent("alerts.yml")
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ControlError(message: "cannot read the alerting rules \(file.path): \(error.localizedDescription)")
        }
        return try RuleScaler.scale(alertsYAML: text, factor: timeScale, minimumRange: minimumRange)
    }

    /// The local `prometheus.yml`, derived from the repository's.
    ///
    /// Global and per-job intervals and timeouts become 1 s; `external_labels` gains `drill: "true"`;
    /// `rule_files` is `rulesFile` alone; alerts go to `127.0.0.1:alertmanagerPort` (no `alerting`
    /// section without one); `remote_write`/`remote_read` are dropped. Jobs: `csv-analyzer` reads its
    /// targets from `serviceTargetsFile` (`file_sd`, rewritten when the service starts, so Prometheus
    /// does not see a service that was never started as down), `alertmanager` and `prometheus`
    /// scrape their loopback ports; other jobs are dropped.
    /// - Parameters:
    ///   - repositoryConfig: the text of the repository's `prometheus.yml`.
    ///   - rulesFile, serviceTargetsFile: absolute paths.
    public static func prometheus(repositoryConfig: String, rulesFile: String, serviceTargetsFile: String,
                                  prometheusPort: Int, alertmanagerPort: Int?) throws -> String {
        var root = try mapping(repositoryConfig, "prometheus.yml")

        var global = root["global"]?.mapping ?? [:]
        for key in ["scrape_interval", "evaluation_interval", "scrape_timeout"] { global[key] = Node("1s") }
        var labels = global["external_labels"]?.mapping ?? [:]
        labels[drillLabel.name] = quoted(drillLabel.value)
        global["external_labels"] = .mapping(labels)
        root["global"] = .mapping(global)

        root["rule_files"] = Node([quoted(rulesFile)])
        root["remote_write"] = nil
        root["remote_read"] = nil

        if let alertmanagerPort {
            var alerting = root["alerting"]?.mapping ?? [:]
            var managers = alerting["alertmanagers"]?.sequence.map(Array.init) ?? []
            if managers.isEmpty { managers = [Node([(Node, Node)]())] }
            managers = managers.map { manager in
                var manager = manager.mapping ?? [:]
                dropServiceDiscovery(&manager)
                manager["static_configs"] = staticTargets("127.0.0.1:\(alertmanagerPort)", labelsFrom: manager["static_configs"])
                return .mapping(manager)
            }
            alerting["alertmanagers"] = Node(managers)
            root["alerting"] = .mapping(alerting)
        } else {
            root["alerting"] = nil
        }

        let repositoryJobs = root["scrape_configs"]?.sequence.map(Array.init) ?? []
        var jobs: [Node] = []
        var seen: Set<String> = []
        let wanted = localJobs.filter { $0 != "alertmanager" || alertmanagerPort != nil }
        for job in repositoryJobs + wanted.map({ Node([(Node("job_name"), Node($0))]) }) {
            guard var job = job.mapping, let name = job["job_name"]?.string, wanted.contains(name), !seen.contains(name) else {
                continue
            }
            seen.insert(name)
            for key in ["scrape_interval", "scrape_timeout"] where job[key] != nil { job[key] = Node("1s") }
            let previous = job["static_configs"]
            dropServiceDiscovery(&job)
            switch name {
            case "csv-analyzer":
                job["static_configs"] = nil
                job["file_sd_configs"] = Node([Node([
                    (Node("files"), Node([quoted(serviceTargetsFile)])),
                    (Node("refresh_interval"), Node("1s")),
                ])])
            case "alertmanager":
                job["static_configs"] = staticTargets("127.0.0.1:\(alertmanagerPort!)", labelsFrom: previous)
            default:
                job["static_configs"] = staticTargets("127.0.0.1:\(prometheusPort)", labelsFrom: previous)
            }
            jobs.append(.mapping(job))
        }
        root["scrape_configs"] = Node(jobs)
        return try serialize(node: .mapping(root))
    }

    /// The `file_sd` targets file of the `csv-analyzer` job: `127.0.0.1:port`, or no target.
    public static func serviceTargets(port: Int?) -> String {
        guard let port else { return "[]\n" }
        return #"[{"targets": ["127.0.0.1:\#(port)"], "labels": {}}]"# + "\n"
    }

    /// The local `alertmanager.yml`, derived from the repository's.
    ///
    /// The `drill` receiver's webhooks post to `webhookURL`; `templates` and every `*_file` path
    /// (secrets such as `slack_api_url_file`) are made absolute against `repositoryRoot`, where
    /// Alertmanager would resolve them, so the file loads from any directory. Routes and inhibit
    /// rules are unchanged.
    /// - Throws: `ControlError` when the configuration has no `drill` receiver with a webhook.
    public static func alertmanager(repositoryConfig: String, repositoryRoot: URL, webhookURL: String) throws -> String {
        let root = try mapping(repositoryConfig, "alertmanager.yml")
        var node = absolutePaths(.mapping(root), against: repositoryRoot)
        var mapping = node.mapping!
        var receivers = mapping["receivers"]?.sequence.map(Array.init) ?? []
        guard let index = receivers.firstIndex(where: { $0.mapping?["name"]?.string == "drill" }),
              var drill = receivers[index].mapping,
              var webhooks = drill["webhook_configs"]?.sequence.map(Array.init), !webhooks.isEmpty
        else {
            throw ControlError(message: "alertmanager.yml has no `drill` receiver with a webhook_configs entry: "
                               + "drills need one (routed by the matcher drill=\"true\")")
        }
        webhooks = webhooks.map { webhook in
            var webhook = webhook.mapping ?? [:]
            webhook["url_file"] = nil
            webhook["url"] = quoted(webhookURL)
            return .mapping(webhook)
        }
        drill["webhook_configs"] = Node(webhooks)
        receivers[index] = .mapping(drill)
        mapping["receivers"] = Node(receivers)
        node = .mapping(mapping)
        return try serialize(node: node)
    }

    // MARK: - Helpers

    private static func mapping(_ yaml: String, _ name: String) throws -> Node.Mapping {
        let node: Node?
        do {
            node = try compose(yaml: yaml)
        } catch {
            throw ControlError(message: "\(name) is not valid YAML: \(error)")
        }
        guard let mapping = node?.mapping else { throw ControlError(message: "\(name): expected a mapping at the top level") }
        return mapping
    }

    private static func quoted(_ text: String) -> Node { Node(text, .implicit, .doubleQuoted) }

    /// `[{targets: [target], labels: …}]`, keeping the labels of the first previous static config.
    private static func staticTargets(_ target: String, labelsFrom previous: Node?) -> Node {
        var config: Node.Mapping = [Node("targets"): Node([quoted(target)])]
        if let labels = previous?.sequence?.first?.mapping?["labels"] { config["labels"] = labels }
        return Node([Node.mapping(config)])
    }

    /// Removes service discovery (`dns_sd_configs`, `kubernetes_sd_configs`, …): a local stack's
    /// targets are static.
    private static func dropServiceDiscovery(_ mapping: inout Node.Mapping) {
        for key in mapping.keys.compactMap(\.string) where key.hasSuffix("_sd_configs") { mapping[key] = nil }
    }

    /// `templates` entries and `*_file` values, made absolute against `base` where relative.
    private static func absolutePaths(_ node: Node, against base: URL, key: String? = nil) -> Node {
        switch node {
        case .mapping(var mapping):
            for index in mapping.indices {
                let (k, value) = mapping[index]
                mapping[index] = (k, absolutePaths(value, against: base, key: k.string))
            }
            return .mapping(mapping)
        case .sequence(let sequence) where key == "templates":
            return Node(sequence.map { $0.string.map { quoted(absolute($0, base)) } ?? $0 })
        case .scalar where key?.hasSuffix("_file") == true:
            return node.string.map { quoted(absolute($0, base)) } ?? node
        case .sequence(let sequence):
            return Node(sequence.map { absolutePaths($0, against: base) })
        default:
            return node
        }
    }

    private static func absolute(_ path: String, _ base: URL) -> String {
        guard !path.isEmpty, !path.hasPrefix("/") else { return path }
        return base.appendingPathComponent(path).standardizedFileURL.path
    }
}
