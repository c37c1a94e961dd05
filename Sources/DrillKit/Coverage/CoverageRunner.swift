import AnalyzerAPI
import FiredrillSupport
import Foundation
import LoadKit
import Logging
import ProxyKit

/// `firedrill coverage`: under a steady open-model load, injects each fault at the intensities
/// `CoverageSearch` picks, and per probe measures the SLO (client failures or 5xx above 1 %, p95
/// above 500 ms) and which paging alerts the stack's time-compressed rules fired. When link faults
/// are swept the load goes through an HTTP fault proxy in front of the service (the stack's
/// `DrillProxy`), where their toxics are added.
public final class CoverageRunner: Sendable {
    public struct Options: Sendable {
        /// The load: a scenario whose requests run at `rate` iterations per second (its own shape is replaced).
        public var scenario: URL
        public var rate: Double = 40
        /// Longest probe, wall seconds (it ends earlier once an alert pages and `minimumProbe` passed).
        public var probeSeconds: Double = 12
        public var minimumProbe: Double = 5
        /// Before a link fault's probe, the clients' p95 is measured this long without it.
        public var calmSeconds: Double = 3
        /// Alerts of these severities count as paging someone.
        public var pageSeverities: Set<String> = ["critical", "major", "medium"]
        /// Whole run, wall seconds; probes that would not fit are skipped and the fault marked incomplete.
        public var budgetSeconds: Double = 600
        public var logger = Logger(label: "firedrill.coverage")
        public var onProbe: (@Sendable (String) -> Void)?
        /// Other news of the run (where the load goes).
        public var onNote: (@Sendable (String) -> Void)?

        public init(scenario: URL) { self.scenario = scenario }
    }

    /// Never page: the heartbeat, and the reminder that a fault is injected (a real failure would not raise it).
    static let ignored: Set<String> = ["Watchdog", "FaultInjectionActive"]
    /// The SLO.
    public static let errorBudget = 0.01
    public static let p95Limit = 0.5

    let stack: any DrillStack
    let options: Options
    let started = Date()

    public init(stack: any DrillStack, options: Options) {
        self.stack = stack
        self.options = options
    }

    /// Sweeps `faults`; the service must be started (and Prometheus present).
    public func run(_ faults: [CoverageFault]) async throws -> [CoverageSearch.Result] {
        guard let prometheus = stack.prometheus else {
            throw ControlError(message: "coverage needs Prometheus and Alertmanager (\(stack.monitoringGap ?? "not started")): install them")
        }
        var plan = try ScenarioLoader.load(path: options.scenario.path)
        plan.host = stack.serviceURL
        plan.thresholds = []  // a breach is what a probe looks for: never abort the load on one
        plan.load = .constantArrival(rate: options.rate, duration: 6 * 3600, preAllocatedUsers: 20, maxUsers: 400)
        var link: ProxyClient?
        if faults.contains(where: \.onLink) {
            let (client, listen) = try await linkProxy()
            link = client
            plan.host = "http://" + listen
            options.onNote?("the load goes through the fault proxy \(listen) → \(stack.serviceURL)")
        }
        let load = try LoadRun(plan: plan, options: RunOptions(threads: 1, preflight: true, logger: options.logger))
        try await load.start()
        defer { load.stop() }
        try await settle(prometheus)
        var results: [CoverageSearch.Result] = []
        for fault in faults {
            let result = try await CoverageSearch.run(fault: fault.name, labels: fault.labels, canProbe: { [self] in
                Date().timeIntervalSince(started) + options.probeSeconds + 10 <= options.budgetSeconds
            }, probe: { [self] i in
                let probe = try await self.probe(fault.injections[i], onLink: fault.onLink, load: load, prometheus: prometheus, link: link)
                options.onProbe?("\(fault.name) \(fault.labels[i]): " + (probe.breached ? "SLO breached" : "within the SLO")
                    + String(format: " (failures %.2f %%, p95 %@)", probe.errorRatio * 100, probe.p95Seconds.map { String(format: "%.0f ms", $0 * 1000) } ?? "-")
                    + (probe.paged.isEmpty ? ", nothing paged" : ", paged: \(probe.paged.joined(separator: ", "))"))
                return probe
            })
            results.append(result)
        }
        return results
    }

    /// Starts the stack's fault proxy and puts an HTTP proxy in front of the service.
    /// - Returns: the proxy's API client and the address the load should use.
    func linkProxy() async throws -> (ProxyClient, String) {
        guard let url = URL(string: stack.serviceURL), let host = url.host, let port = url.port else {
            throw ControlError(message: "cannot put a proxy in front of \(stack.serviceURL)")
        }
        let client = ProxyClient(baseURL: try await stack.proxy.apiURL())
        let info = try await client.createProxy(ProxySpec(name: CoverageFault.proxyName, upstream: "\(host):\(port)", protocol: .http))
        return (client, info.listen)
    }

    /// One probe: inject, measure until paged (after `minimumProbe`) or `probeSeconds`, clear, settle.
    func probe(_ injection: CoverageFault.Injection, onLink: Bool, load: LoadRun, prometheus: PrometheusClient,
               link: ProxyClient?) async throws -> CoverageSearch.Probe {
        let faults = FaultClient(target: stack.serviceURL, token: stack.adminToken)
        // The clients' own p95 before the fault (the generator's and the proxy's share): a link
        // fault is charged only what it adds to it.
        let calmStart = load.snapshot.total
        if onLink { try await Task.sleep(for: .seconds(options.calmSeconds)) }
        let before = (load.snapshot.total, try await scrape())
        let calm = onLink ? ClientWindow(before: calmStart, after: before.0).p95Seconds : nil
        switch injection {
        case .service(let spec): _ = try await Self.retrying { try await faults.set(spec) }
        case .proxy(let toxic):
            guard let link else { throw ControlError(message: "a link fault needs the fault proxy") }
            _ = try await link.addToxic(toxic, to: CoverageFault.proxyName)
        }
        let begin = Date()
        var paged: [String] = []
        while Date().timeIntervalSince(begin) < options.probeSeconds {
            try await Task.sleep(for: .seconds(1))
            for alert in try await prometheus.alerts() where alert.state == "firing" && !Self.ignored.contains(alert.name)
                && options.pageSeverities.contains(alert.labels["severity"] ?? "") && !paged.contains(alert.name) {
                paged.append(alert.name)
            }
            if !paged.isEmpty, Date().timeIntervalSince(begin) >= options.minimumProbe { break }
        }
        let after = (load.snapshot.total, try await scrape())
        switch injection {
        case .service: try await Self.retrying { try await faults.clear() }
        case .proxy(let toxic): try await link?.removeToxic(toxic.name, from: CoverageFault.proxyName)
        }
        let interval = after.1.interval(since: before.1)
        let probe = Self.judge(client: ClientWindow(before: before.0, after: after.0), serviceErrorRatio: interval?.errorRatio,
                               serviceP95: interval?.p95Seconds, calmClientP95: calm, onLink: onLink, paged: paged.sorted())
        try await settle(prometheus)
        return probe
    }

    /// The SLO verdict of one probe: failures are the larger of the clients' failure ratio and the
    /// service's 5xx ratio; p95 is the service's (its histogram is what the SLO names), plus, for a
    /// link fault (which the service cannot see), what the link added on the clients' side: their
    /// p95 during the probe minus their p95 just before it (`calmClientP95`; the generator's and the
    /// proxy's own delay, large on a busy machine, is not the fault's).
    public static func judge(client: ClientWindow, serviceErrorRatio: Double?, serviceP95: Double?, calmClientP95: Double? = nil,
                             onLink: Bool, paged: [String]) -> CoverageSearch.Probe {
        let ratio = max(client.errorRatio, serviceErrorRatio ?? 0)
        var p95 = serviceP95
        if onLink, let clientP95 = client.p95Seconds {
            p95 = (serviceP95 ?? 0) + max(0, clientP95 - (calmClientP95 ?? 0))
        }
        return .init(breached: ratio > errorBudget || (p95 ?? 0) > p95Limit, paged: paged, errorRatio: ratio, p95Seconds: p95)
    }

    /// `call`, tried three times: the admin API is relayed by a worker, which a `worker_crash`
    /// probe may kill mid-request.
    static func retrying<T>(_ call: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do { return try await call() } catch where attempt < 3 { try await Task.sleep(for: .milliseconds(500)) }
        }
    }

    /// The service's `/metrics`; a CPU-starved service may answer slowly, so three tries of 20 s.
    func scrape() async throws -> ServiceScrape {
        try await Self.retrying {
            let answer = try await ServiceClient(baseURL: stack.serviceURL, token: stack.adminToken, timeout: .seconds(20))
                .send(.GET, "/metrics")
            guard answer.status == 200 else { throw ControlError(message: "GET /metrics → HTTP \(answer.status)") }
            return ServiceScrape(text: String(decoding: answer.body, as: UTF8.self), at: Date())
        }
    }

    /// Waits until Prometheus holds no alert but the ignored ones (at most 90 s), so one probe's
    /// alerts are not read as the next one's.
    func settle(_ prometheus: PrometheusClient) async throws {
        let end = Date().addingTimeInterval(90)
        while Date() < end {
            let active = try await prometheus.alerts().filter { !Self.ignored.contains($0.name) }
            if active.isEmpty { return }
            try await Task.sleep(for: .seconds(1))
        }
        options.logger.warning("alerts still active after 90 s; probing on")
    }
}
