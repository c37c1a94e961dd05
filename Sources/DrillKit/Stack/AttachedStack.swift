import FiredrillSupport
import Foundation

/// A drill stack that is already running (e.g. the compose stack), used through its URLs.
///
/// Nothing is started or stopped except, optionally, the drill's webhook: point the real
/// Alertmanager's `drill` receiver at it to check notifications.
public final class AttachedStack: DrillStack {
    public let kind = "attach"
    public let serviceURL: String
    public let adminToken: String
    public let prometheus: PrometheusClient?
    public let alertmanager: AlertmanagerClient?
    public let monitoringGap: String?
    public let workDirectory: URL
    public let commands: CommandProcesses
    public let proxy: DrillProxy
    /// The webhook's URL; nil when none is hosted.
    public var webhookURL: String? { webhook?.url }
    private let webhook: WebhookReceiver?

    private let healthTimeout: Duration

    /// Attaches to a running stack.
    /// - Parameters:
    ///   - webhookPort: when given, hosts the drill's webhook on `webhookHost:webhookPort` (0 = any
    ///     free port); use `0.0.0.0` as the host when Alertmanager runs in a container.
    ///   - healthTimeout: how long `startService` waits for `/healthz` to answer 200.
    ///   - proxyAPI: the fault proxy's API (`firedrill proxy`, Toxiproxy) for `proxy` steps.
    ///   - workDirectory: where programs of generic `start` steps log (default: a temporary directory).
    public init(serviceURL: String, prometheusURL: String?, alertmanagerURL: String?, adminToken: String,
                webhookPort: Int? = nil, webhookHost: String = "127.0.0.1", healthTimeout: Duration = .seconds(10),
                proxyAPI: String? = nil, workDirectory: URL? = nil) async throws {
        self.workDirectory = workDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-attach-\(UUID().uuidString)")
        self.commands = CommandProcesses(logsDirectory: self.workDirectory.appendingPathComponent("logs"))
        self.proxy = DrillProxy(apiURL: proxyAPI)
        self.healthTimeout = healthTimeout
        self.serviceURL = URLText.base(serviceURL)
        self.adminToken = adminToken
        self.prometheus = prometheusURL.map { PrometheusClient(baseURL: $0) }
        self.alertmanager = alertmanagerURL.map { AlertmanagerClient(baseURL: $0) }
        var missing: [String] = []
        if prometheusURL == nil { missing.append("no Prometheus URL was given (--prometheus-url): Prometheus probes, assertions and alert expectations are skipped") }
        if alertmanagerURL == nil { missing.append("no Alertmanager URL was given (--alertmanager-url): alert expectations are skipped") }
        self.monitoringGap = missing.isEmpty ? nil : missing.joined(separator: "; ")
        if let webhookPort {
            self.webhook = try await WebhookReceiver.start(host: webhookHost, port: webhookPort)
        } else {
            self.webhook = nil
        }
    }

    /// Checks that the service answers `GET /healthz` with 200; `options` cannot apply to a running
    /// service and are only reported.
    public func startService(options: [String: String]) async throws -> String {
        do {
            try await Loopback.waitUntilOK(serviceURL + "/healthz", name: "the attached service", process: nil, timeout: healthTimeout)
        } catch let error as ControlError {
            throw ControlError(message: "the attached service is not healthy: \(error.message)")
        }
        let ignored = options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "attached to \(serviceURL) (healthy)" + (ignored.isEmpty ? "" : "; start options ignored: \(ignored.joined(separator: ", "))")
    }

    /// Refused: firedrill does not stop a service it did not start.
    public func stopService() async throws -> String {
        throw ControlError(message: "stop_service needs --stack local: firedrill does not stop a service it did not start (\(serviceURL))")
    }

    public func notifications() -> [AlertNotification]? { webhook?.notifications() }

    /// Stops the programs of generic `start` steps and the webhook; the attached services keep running.
    public func stop() async {
        await commands.stopAll()
        await proxy.stop()
        await webhook?.stop()
    }
}
