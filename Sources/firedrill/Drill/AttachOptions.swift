import ArgumentParser
import DrillKit
import Foundation

/// `--stack attach`: the running services `firedrill drill` drives, and where it hosts the webhook.
struct AttachOptions: ParsableArguments {
    @Option(help: ArgumentHelp("attach: the service's base URL, e.g. http://127.0.0.1:8000.", valueName: "url"))
    var host: String?

    @Option(help: ArgumentHelp("attach: Prometheus' base URL, e.g. http://127.0.0.1:9090.", valueName: "url"))
    var prometheusURL: String?

    @Option(help: ArgumentHelp("attach: Alertmanager's base URL, e.g. http://127.0.0.1:9093.", valueName: "url"))
    var alertmanagerURL: String?

    @Option(help: ArgumentHelp("attach: the fault proxy's API for proxy steps (firedrill proxy or Toxiproxy), e.g. http://127.0.0.1:8474; "
                               + "the local stack runs one in process.", valueName: "url"))
    var proxyAPI: String?

    @Option(help: ArgumentHelp("attach: host the drill webhook on this port (alertmanager.yml's drill receiver uses 9099).", valueName: "port"))
    var webhookPort: Int?

    @Option(help: ArgumentHelp("attach: the address the webhook binds (0.0.0.0 when Alertmanager runs in a container).", valueName: "host"))
    var webhookHost = "127.0.0.1"

    @Option(help: ArgumentHelp("attach: the service's admin token [CSV_ANALYZER_ADMIN_TOKEN].", valueName: "token"))
    var adminToken: String?

    func validate() throws {
        if let webhookPort, !(0...65535).contains(webhookPort) { throw ValidationError("--webhook-port must be between 0 and 65535") }
    }

    /// Connects to the services and starts the webhook; programs of `start` steps log under `work`.
    func launch(work: URL) async throws -> AttachedStack {
        let token = adminToken ?? FiredrillEnvironment.variable("CSV_ANALYZER_ADMIN_TOKEN") ?? ""
        return try await AttachedStack(serviceURL: host ?? "", prometheusURL: prometheusURL, alertmanagerURL: alertmanagerURL,
                                       adminToken: token, webhookPort: webhookPort, webhookHost: webhookHost,
                                       proxyAPI: proxyAPI, workDirectory: work)
    }
}
