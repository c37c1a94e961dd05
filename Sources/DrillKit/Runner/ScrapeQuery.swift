import FiredrillSupport
/// Evaluates the simplest PromQL on a `/metrics` scrape when no Prometheus runs: a metric name, or
/// one metric divided by another (`csv_analyzer_resident_memory_bytes / process_memory_limit_bytes`),
/// each summed over its series. Anything else (functions, ranges, labels) needs Prometheus.
struct ScrapeQuery: Sendable, Equatable {
    let numerator: String
    let denominator: String?

    /// Nil when `query` is not of that form.
    init?(_ query: String) {
        let parts = query.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard (1...2).contains(parts.count), parts.allSatisfy(Self.isMetricName) else { return nil }
        numerator = parts[0]
        denominator = parts.count == 2 ? parts[1] : nil
    }

    private static func isMetricName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first == ":" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0 == "_" || $0 == ":" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// The value on `samples`; nil when a metric is absent or the denominator is 0.
    func evaluate(_ samples: [ExpositionSample]) -> Double? {
        func sum(_ name: String) -> Double? {
            let matching = samples.filter { $0.name == name }
            return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
        }
        guard let top = sum(numerator) else { return nil }
        guard let denominator else { return top }
        guard let bottom = sum(denominator), bottom != 0 else { return nil }
        return top / bottom
    }
}

import Foundation
