import Foundation

extension CoverageReport {
    /// `--json`'s document: the SLO, the silent faults, and per fault where it acts (`service` or
    /// `link`), the mildest intensity that breaches and that pages, the verdict and every intensity
    /// (probed or not, with what the probe measured).
    public struct Document: Codable, Sendable, Equatable {
        public struct SLO: Codable, Sendable, Equatable {
            public var errorRatio: Double
            public var p95Seconds: Double
        }

        public struct Intensity: Codable, Sendable, Equatable {
            public var label: String
            public var probed: Bool
            public var breached: Bool?
            public var paged: [String]?
            public var errorRatio: Double?
            public var p95Seconds: Double?
        }

        public struct Fault: Codable, Sendable, Equatable {
            public var fault: String
            /// `service` (csv-analyzer's admin API) or `link` (a proxy toxic in front of it).
            public var `where`: String
            public var breachesAt: String?
            public var pagesAt: String?
            public var silent: Bool
            public var incomplete: Bool
            public var verdict: String
            public var intensities: [Intensity]
        }

        public var slo: SLO
        public var silent: [String]
        public var faults: [Fault]
    }

    /// The document for `results`.
    public static func document(_ results: [CoverageSearch.Result]) -> Document {
        let faults = results.map { r in
            Document.Fault(
                fault: r.fault, where: CoverageFault.catalog.first { $0.name == r.fault }?.onLink == true ? "link" : "service",
                breachesAt: r.breachesAt.map { r.labels[$0] }, pagesAt: r.pagesAt.map { r.labels[$0] }, silent: r.silent,
                incomplete: r.incomplete, verdict: verdict(r),
                intensities: r.labels.indices.map { i in
                    let p = r.probes[i]
                    return .init(label: r.labels[i], probed: p != nil, breached: p?.breached, paged: p?.paged, errorRatio: p?.errorRatio,
                                 p95Seconds: p?.p95Seconds)
                })
        }
        return Document(slo: .init(errorRatio: CoverageRunner.errorBudget, p95Seconds: CoverageRunner.p95Limit),
                        silent: results.filter(\.silent).map(\.fault), faults: faults)
    }

    /// The document as snake_case JSON, keys sorted.
    public static func json(_ results: [CoverageSearch.Result]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(document(results))
    }
}
