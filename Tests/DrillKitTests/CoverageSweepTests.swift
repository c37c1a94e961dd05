import AnalyzerAPI
@testable import DrillKit
import Foundation
import ProxyKit
import Testing

/// The coverage sweep's link faults (proxy toxics): the catalog and its groups, the clients' window
/// a probe reads them by, the verdict, and the reports.
@Suite struct CoverageSweepTests {
    @Test func groupsNameServiceAndLinkFaults() throws {
        let link = try CoverageFault.named(["proxy"])
        let linkNames = link.map(\.name)
        #expect(linkNames == ["link_latency", "link_errors", "link_reset"])
        #expect(link.allSatisfy { $0.onLink })
        let service = try CoverageFault.named(["service"])
        let serviceNames = service.map(\.name)
        #expect(serviceNames == ["errors", "latency", "cpu_burn", "worker_crash", "model_degrade"])
        #expect(!service.contains { $0.onLink })
        // `all` is the default; names keep their first mention and are not repeated; an explicit feature_leak is kept.
        let all = try CoverageFault.named(["all"])
        #expect(all == CoverageFault.defaults)
        let defaultNames = CoverageFault.defaults.map(\.name)
        #expect(defaultNames == serviceNames + linkNames)
        let repeated = try CoverageFault.named(["errors", "service", "link_errors", "proxy"])
        let repeatedNames = repeated.map(\.name)
        #expect(repeatedNames == serviceNames + ["link_errors", "link_latency", "link_reset"])
        let leak = try CoverageFault.named(["feature_leak"])
        let leakNames = leak.map(\.name)
        #expect(leakNames == ["feature_leak"])
        #expect(throws: ControlError.self) { try CoverageFault.named(["link_typo"]) }
    }

    @Test func linkLaddersRiseAndCarryATTL() throws {
        for fault in CoverageFault.proxy {
            let toxics = fault.injections.compactMap { injection -> ToxicSpec? in
                if case .proxy(let toxic) = injection { return toxic }
                return nil
            }
            #expect(toxics.count == fault.labels.count)
            #expect(toxics.allSatisfy { $0.ttl == "5m" && $0.name == "coverage" })
            let intensity = toxics.map { toxic -> Double in
                if case .latency(let latency, _) = toxic.kind { return Double(latency) }
                return toxic.toxicity
            }
            #expect(intensity == intensity.sorted() && Set(intensity).count == intensity.count, "\(fault.name) rises")
        }
        guard case .proxy(let errors) = try CoverageFault.named(["link_errors"])[0].injections[1],
              case .httpStatus(let match, let status, _) = errors.kind else {
            Issue.record("link_errors is not an http_status toxic"); return
        }
        #expect(status == 503 && errors.toxicity == 0.03)
        // Only the prediction route: the service's /metrics and health answer as before.
        #expect(match.path.matches("/api/models/m_1/predict") && !match.path.matches("/metrics") && !match.path.matches("/api/models"))
    }

    /// Every toxic of the ladders is accepted by a real fault proxy on the HTTP proxy the sweep creates.
    @Test func theProxyAcceptsEveryLinkToxic() async throws {
        let server = ProxyServer(threads: 1)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        let client = ProxyClient(baseURL: "http://127.0.0.1:\(port)")
        _ = try await client.createProxy(ProxySpec(name: CoverageFault.proxyName, upstream: "127.0.0.1:9", protocol: .http))
        var added: [String] = []
        for fault in CoverageFault.proxy {
            for injection in fault.injections {
                guard case .proxy(let toxic) = injection else { continue }
                let info = try await client.addToxic(toxic, to: CoverageFault.proxyName)
                added.append("\(info.type) \(info.toxicity)")
                let present = try await client.toxics(of: CoverageFault.proxyName)
                #expect(present.count == 1)
                try await client.removeToxic(toxic.name, from: CoverageFault.proxyName)
            }
        }
        let steps = CoverageFault.proxy.map(\.labels.count).reduce(0, +)
        #expect(added.count == steps)
        #expect(added.contains("http_status 0.6") && added.contains("reset_peer 1.0") && added.contains("latency 1.0"))
        await server.stop()
    }

    @Test func theClientsWindowIsTheProbeNotTheRun() {
        // 3000 fast requests before the probe; during it 100 more at ~10 ms and 100 at ~800 ms.
        let before: [(upperMs: Double, count: UInt64)] = [(10.5, 3000)]
        let after: [(upperMs: Double, count: UInt64)] = [(10.5, 3100), (830, 100)]
        let window = ClientWindow(requests: 200, failures: 3, before: before, after: after)
        #expect(window.p95Seconds == 0.83)
        #expect(window.errorRatio == 0.015)
        // Over the whole run the same requests' p95 would be the fast bucket: the window is what counts.
        #expect(ClientWindow(requests: 3200, failures: 3, before: [], after: after).p95Seconds == 0.0105)
        let idle = ClientWindow(requests: 0, failures: 0, before: after, after: after)
        #expect(idle.p95Seconds == nil && idle.errorRatio == 0)
    }

    @Test func linkFaultsAreJudgedOnTheClientsSide() {
        let slowClients = ClientWindow(requests: 400, failures: 0, before: [], after: [(10, 300), (900, 100)])
        // The service's histogram sees fast requests: a fault at the service is judged by it...
        let atService = CoverageRunner.judge(client: slowClients, serviceErrorRatio: 0, serviceP95: 0.02, onLink: false, paged: [])
        #expect(!atService.breached && atService.p95Seconds == 0.02)
        // ...a fault on the link, which the service cannot see, by what it added for the clients.
        let onLink = CoverageRunner.judge(client: slowClients, serviceErrorRatio: 0, serviceP95: 0.02, calmClientP95: 0.01,
                                          onLink: true, paged: [])
        #expect(onLink.breached && abs(onLink.p95Seconds! - 0.91) < 1e-9)
        // A busy generator's own delay is not the link's: clients at 0.9 s before the fault and during it.
        let busy = CoverageRunner.judge(client: slowClients, serviceErrorRatio: 0, serviceP95: 0.02, calmClientP95: 0.9,
                                        onLink: true, paged: [])
        #expect(!busy.breached && busy.p95Seconds == 0.02)
        // Failures count wherever they are seen: 503s the proxy answered never reach the service's counters.
        let refused = ClientWindow(requests: 400, failures: 20, before: [], after: [(10, 400)])
        let errors = CoverageRunner.judge(client: refused, serviceErrorRatio: 0, serviceP95: 0.01, calmClientP95: 0.01, onLink: true,
                                          paged: ["X"])
        #expect(errors.breached && errors.errorRatio == 0.05 && errors.paged == ["X"])
        let within = ClientWindow(requests: 400, failures: 2, before: [], after: [(10, 400)])
        #expect(!CoverageRunner.judge(client: within, serviceErrorRatio: 0.004, serviceP95: 0.01, calmClientP95: 0.01, onLink: true,
                                      paged: []).breached)
    }

    /// A link fault that breaches and never pages (what today's rules do: they read the service's
    /// own metrics) is silent, and every report says so.
    @Test func aSilentLinkFaultInEveryReport() async throws {
        let fault = try CoverageFault.named(["link_errors"])[0]
        let probes: [Int: CoverageSearch.Probe] = [
            0: .init(breached: false, paged: [], errorRatio: 0.001), 1: .init(breached: true, paged: [], errorRatio: 0.03),
            2: .init(breached: true, paged: [], errorRatio: 0.15), 3: .init(breached: true, paged: [], errorRatio: 0.6),
        ]
        var probed: [Int] = []
        let r = try await CoverageSearch.run(fault: fault.name, labels: fault.labels, canProbe: { true }) { i in
            probed.append(i)
            return probes[i]!
        }
        #expect(r.silent && r.breachesAt == 1 && r.pagesAt == nil && probed == [3, 1, 0])
        let service = CoverageSearch.Result(fault: "errors", labels: ["3 %"], probes: [0: .init(breached: true, paged: ["HighErrorRate"])],
                                            breachesAt: 0, pagesAt: 0, incomplete: false)
        #expect(CoverageReport.hasSilent([service, r]))
        #expect(CoverageReport.table([service, r]).contains("link_errors"))
        #expect(CoverageReport.table([service, r]).contains("SILENT: breaches the SLO at 3 % and nothing pages"))
        let html = CoverageReport.html([service, r])
        #expect(html.contains("<b>link_errors</b><br><small><i>link</i></small>") && html.contains("class=\"silent\">3 %"))
        let document = try JSONDecoder.snake.decode(CoverageReport.Document.self, from: try CoverageReport.json([service, r]))
        #expect(document.silent == ["link_errors"])
        let places = document.faults.map(\.where)
        #expect(places == ["service", "link"])
        #expect(document.faults[1].breachesAt == "3 %" && document.faults[1].pagesAt == nil)
        let probedFlags = document.faults[1].intensities.map(\.probed)
        #expect(probedFlags == [true, true, false, true])
        #expect(document.faults[0].verdict == "covered (pages at 3 %)" && document.slo.errorRatio == 0.01)
        let text = String(decoding: try CoverageReport.json([r]), as: UTF8.self)
        #expect(text.contains("\"breaches_at\" : \"3 %\"") && text.contains("\"p95_seconds\" : 0.5"))
    }
}

extension JSONDecoder {
    static var snake: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
