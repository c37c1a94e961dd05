import AnalyzerAPI
import FiredrillSupport
import Foundation
import LoadKit
import Logging

/// `firedrill coverage`: under a steady open-model load, injects each fault at the intensities
/// `CoverageSearch` picks, and per probe measures the SLO (client failures or 5xx above 1 %, p95
/// above 500 ms) and which paging alerts the stack's time-compressed rules fired.
public final class CoverageRunner: Sendable {
    public struct Options: Sendable {
        /// The load: a scenario whose requests run at `rate` iterations per second (its own shape is replaced).
        public var scenario: URL
        public var rate: Double = 40
        /// Longest probe, wall seconds (it ends earlier once an alert pages and `minimumProbe` passed).
        public var probeSeconds: Double = 12
        public var minimumProbe: Double = 5
        /// Alerts of these severities count as paging someone.
        public var pageSeverities: Set<String> = ["critical", "major", "medium"]
        /// Whole run, wall seconds; probes that would not fit are skipped and the fault marked incomplete.
        public var budgetSeconds: Double = 600
        public var logger = Logger(label: "firedrill.coverage")
        public var onProbe: (@Sendable (String) -> Void)?

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
        let load = try LoadRun(plan: plan, options: RunOptions(threads: 1, preflight: true, logger: options.logger))
        try await load.start()
        defer { load.stop() }
        try await settle(prometheus)
        var results: [CoverageSearch.Result] = []
        for fault in faults {
            let result = try await CoverageSearch.run(fault: fault.name, labels: fault.labels, canProbe: { [self] in
                Date().timeIntervalSince(started) + options.probeSeconds + 10 <= options.budgetSeconds
            }, probe: { [self] i in
                let probe = try await self.probe(fault.specs[i], load: load, prometheus: prometheus)
                options.onProbe?("\(fault.name) \(fault.labels[i]): " + (probe.breached ? "SLO breached" : "within the SLO")
                    + String(format: " (failures %.2f %%, p95 %@)", probe.errorRatio * 100, probe.p95Seconds.map { String(format: "%.0f ms", $0 * 1000) } ?? "-")
                    + (probe.paged.isEmpty ? ", nothing paged" : ", paged: \(probe.paged.joined(separator: ", "))"))
                return probe
            })
            results.append(result)
        }
        return results
    }

    /// One probe: inject, measure until paged (after `minimumProbe`) or `probeSeconds`, clear, settle.
    func probe(_ spec: FaultSpec, load: LoadRun, prometheus: PrometheusClient) async throws -> CoverageSearch.Probe {
        let faults = FaultClient(target: stack.serviceURL, token: stack.adminToken)
        let before = (load.snapshot.total, try await scrape())
        _ = try await Self.retrying { try await faults.set(spec) }
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
        try await Self.retrying { try await faults.clear() }
        let requests = Double(after.0.requests - before.0.requests)
        let clientRatio = requests > 0 ? Double(after.0.failures - before.0.failures) / requests : 0
        let interval = after.1.interval(since: before.1)
        let ratio = max(clientRatio, interval?.errorRatio ?? 0)
        let p95 = interval?.p95Seconds
        try await settle(prometheus)
        return .init(breached: ratio > Self.errorBudget || (p95 ?? 0) > Self.p95Limit, paged: paged.sorted(), errorRatio: ratio, p95Seconds: p95)
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
