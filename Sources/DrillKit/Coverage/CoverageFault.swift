import AnalyzerAPI
import Foundation
import ProxyKit

/// A fault `firedrill coverage` sweeps: its intensities, mildest first, and the fault each injects.
public struct CoverageFault: Sendable, Equatable {
    /// What one intensity injects: a csv-analyzer fault (admin API) or a toxic on the fault proxy the
    /// load goes through (the service's link: the service itself never sees it).
    public enum Injection: Sendable, Equatable {
        case service(FaultSpec)
        case proxy(ToxicSpec)
    }

    /// The fault's name in tables (`errors`, `link_latency`…).
    public var name: String
    /// The intensities, mildest first, as shown (`3 %`, `800 ms`).
    public var labels: [String]
    /// The fault to inject at each intensity.
    public var injections: [Injection]

    /// True for the proxy toxics: the load then goes through the fault proxy, and the SLO is read
    /// on the clients' side too (the service's histogram cannot see the link).
    public var onLink: Bool {
        if case .proxy = injections.first { return true }
        return false
    }

    /// The route every fault targets: the prediction route (a fault on `/metrics` would read as the
    /// service being down).
    public static let route = "/api/models/{id}/predict"
    /// The name of the proxy the load goes through when link faults are swept.
    public static let proxyName = "service"

    /// csv-analyzer's fault types with their intensity ladders. The mildest steps stay well clear of
    /// the SLO (a 0.1 % error rate is ~0.5 expected failures in a probe; 150 ms stays inside the
    /// histogram's 0.25 s bucket, where p95 interpolates to ~0.24 s) so noise cannot make them breach. `feature_leak` is left out of
    /// `defaults`: its memory stays after the fault clears, so each probe would need a restart.
    public static let service: [CoverageFault] = [
        ladder("errors", FaultType.errors, [0.001, 0.03, 0.15, 0.6], label: percent) { FaultSpec(type: .errors, probability: $0) },
        ladder("latency", .latency, [50, 150, 800, 2000], label: milliseconds) { FaultSpec(type: .latency, latencyMs: $0) },
        ladder("cpu_burn", .cpuBurn, [5, 25, 60], label: milliseconds) { FaultSpec(type: .cpuBurn, burnMs: $0) },
        ladder("worker_crash", .workerCrash, [0.0005, 0.02, 0.2], label: percent) { FaultSpec(type: .workerCrash, probability: $0) },
        ladder("model_degrade", .modelDegrade, [1], label: percent) { FaultSpec(type: .modelDegrade, probability: $0) },
        ladder("feature_leak", .featureLeak, [0.1, 1], label: percent) { FaultSpec(type: .featureLeak, probability: $0) },
    ]

    /// The fault proxy's toxics on the link between the clients and the service (an HTTP proxy in
    /// front of it, where a load balancer would be): `link_latency` delays every response
    /// (Toxiproxy's `latency`), `link_errors` answers a share of the predictions 503 itself
    /// (`http_status`), `link_reset` resets a share of the connections (`reset_peer`; a reset
    /// connection is reopened by the load and rolls again).
    public static let proxy: [CoverageFault] = [
        toxics("link_latency", [50, 150, 800, 2000], label: milliseconds) { .init(name: "coverage", kind: .latency(latency: Int64($0), jitter: 0)) },
        toxics("link_errors", [0.001, 0.03, 0.15, 0.6], label: percent) {
            .init(name: "coverage", kind: .httpStatus(HTTPMatch(path: route), status: 503, body: "injected by firedrill coverage"), toxicity: $0)
        },
        toxics("link_reset", [0.05, 1], label: percent) { .init(name: "coverage", kind: .resetPeer(timeout: 0), toxicity: $0) },
    ]

    /// Every fault `--faults` can name.
    public static var catalog: [CoverageFault] { service + proxy }

    /// The faults swept when `--faults` is not given: all but `feature_leak`.
    public static var defaults: [CoverageFault] { catalog.filter { $0.name != "feature_leak" } }

    /// The catalog's faults named in `names`, in that order; `service` stands for every service
    /// fault of `defaults`, `proxy` for every link fault, `all` for `defaults`.
    /// - Throws: `ControlError` naming an unknown fault.
    public static func named(_ names: [String]) throws -> [CoverageFault] {
        var chosen: [CoverageFault] = []
        for name in names {
            let group: [CoverageFault]
            switch name {
            case "all": group = defaults
            case "service": group = defaults.filter { !$0.onLink }
            case "proxy", "link": group = proxy
            default:
                guard let fault = catalog.first(where: { $0.name == name }) else {
                    throw ControlError(message: "unknown fault '\(name)'; expected one of: \(catalog.map(\.name).joined(separator: ", ")) "
                                       + "(or the groups service, proxy, all)")
                }
                group = [fault]
            }
            chosen += group.filter { fault in !chosen.contains { $0.name == fault.name } }
        }
        return chosen
    }

    static func ladder(_ name: String, _ type: FaultType, _ values: [Double], label: (Double) -> String,
                       _ make: (Double) -> FaultSpec) -> CoverageFault {
        CoverageFault(name: name, labels: values.map(label), injections: values.map { value in
            var spec = make(value)
            spec.route = route
            spec.ttl = "5m"
            return .service(spec)
        })
    }

    static func toxics(_ name: String, _ values: [Double], label: (Double) -> String, _ make: (Double) -> ToxicSpec) -> CoverageFault {
        CoverageFault(name: name, labels: values.map(label), injections: values.map { value in
            var spec = make(value)
            spec.ttl = "5m"  // a coverage run that dies leaves no toxic behind for long
            return .proxy(spec)
        })
    }

    static func percent(_ value: Double) -> String { "\(DrillFormat.number(value * 100)) %" }
    static func milliseconds(_ value: Double) -> String { "\(Int(value)) ms" }
}
