import AnalyzerAPI
import Foundation

/// A fault `firedrill coverage` sweeps: its intensities, mildest first, and the fault each injects.
public struct CoverageFault: Sendable, Equatable {
    /// The fault's name in tables (`errors`, `latency`…).
    public var name: String
    /// The intensities, mildest first, as shown (`3 %`, `800 ms`).
    public var labels: [String]
    /// The fault to inject at each intensity.
    public var specs: [FaultSpec]

    /// The route every fault targets: the prediction route (a fault on `/metrics` would read as the
    /// service being down).
    public static let route = "/api/models/{id}/predict"

    /// csv-analyzer's fault types with their intensity ladders. The mildest steps stay well clear of
    /// the SLO (a 0.1 % error rate is ~0.5 expected failures in a probe; 150 ms stays inside the
    /// histogram's 0.25 s bucket, where p95 interpolates to ~0.24 s) so noise cannot make them breach. `feature_leak` is left out of
    /// `defaults`: its memory stays after the fault clears, so each probe would need a restart.
    public static let catalog: [CoverageFault] = [
        ladder("errors", FaultType.errors, [0.001, 0.03, 0.15, 0.6], label: percent) { FaultSpec(type: .errors, probability: $0) },
        ladder("latency", .latency, [50, 150, 800, 2000], label: { "\(Int($0)) ms" }) { FaultSpec(type: .latency, latencyMs: $0) },
        ladder("cpu_burn", .cpuBurn, [5, 25, 60], label: { "\(Int($0)) ms" }) { FaultSpec(type: .cpuBurn, burnMs: $0) },
        ladder("worker_crash", .workerCrash, [0.0005, 0.02, 0.2], label: percent) { FaultSpec(type: .workerCrash, probability: $0) },
        ladder("model_degrade", .modelDegrade, [1], label: percent) { FaultSpec(type: .modelDegrade, probability: $0) },
        ladder("feature_leak", .featureLeak, [0.1, 1], label: percent) { FaultSpec(type: .featureLeak, probability: $0) },
    ]

    /// The faults swept when `--faults` is not given.
    public static var defaults: [CoverageFault] { catalog.filter { $0.name != "feature_leak" } }

    /// The catalog's faults named in `names` (comma-separated), in that order.
    /// - Throws: `ControlError` naming an unknown fault (with a suggestion).
    public static func named(_ names: [String]) throws -> [CoverageFault] {
        try names.map { name in
            guard let fault = catalog.first(where: { $0.name == name }) else {
                throw ControlError(message: "unknown fault '\(name)'; expected one of: \(catalog.map(\.name).joined(separator: ", "))")
            }
            return fault
        }
    }

    static func ladder(_ name: String, _ type: FaultType, _ values: [Double], label: (Double) -> String,
                       _ make: (Double) -> FaultSpec) -> CoverageFault {
        CoverageFault(name: name, labels: values.map(label), specs: values.map { value in
            var spec = make(value)
            spec.route = route
            spec.ttl = "5m"
            return spec
        })
    }

    static func percent(_ value: Double) -> String { "\(DrillFormat.number(value * 100)) %" }
}
