import Foundation

/// How closely a drill run reproduced the incident it was generated from (README, "Fidelity score").
///
/// - **Curves**: the run's samples (`DrillJournal.series`, time measured from its first load start
///   and divided by the time scale) are averaged into the record's steps; for each curve
///   `distance = mean |run − incident| / max(peak |incident|, floor)` over the steps both have, and
///   `similarity = max(0, 1 − distance)`. Floors keep a flat curve from dividing by ~0: 1 request/s,
///   a 5xx ratio of 0.01, a p95 of 0.05 s, a memory ratio of 0.05.
/// - **Alert order**: `A` the incident's alerts by first firing, `B` the run's. Agreement =
///   Jaccard(A, B) × the fraction of pairs of common alerts that fired in the same order (1 with
///   fewer than two in common; 1 when neither fired any alert).
/// - **Score** = ½ · mean curve similarity + ½ · alert-order agreement, in [0, 1].
public struct FidelityScore: Sendable, Codable, Equatable {
    /// One curve's comparison.
    public struct CurveFit: Sendable, Codable, Equatable {
        public var curve: String
        /// Normalised mean absolute distance.
        public var distance: Double
        public var similarity: Double
        /// Steps compared.
        public var points: Int
    }

    public var curves: [CurveFit]
    /// The incident's alerts in firing order, and the run's.
    public var incidentAlerts: [String]
    public var drillAlerts: [String]
    public var orderAgreement: Double
    public var score: Double

    static let floors: [IncidentRecord.Curve: Double] = [.requestRate: 1, .errorRatio: 0.01, .p95Seconds: 0.05, .memoryRatio: 0.05]

    /// Scores `journal` against `record`; nil when the run never started a load (nothing to align).
    public static func compute(record: IncidentRecord, journal: DrillJournal) -> FidelityScore? {
        guard let start = journal.timeline.first(where: { $0.kind == .loadStarted })?.at else { return nil }
        let scale = journal.timeScale
        var buckets: [IncidentRecord.Curve: [Int: (sum: Double, count: Int)]] = [:]
        for point in journal.series {
            let t = point.at.timeIntervalSince(start) / scale
            guard t >= 0 else { continue }
            let index = Int((t / record.step).rounded())
            let values: [(IncidentRecord.Curve, Double?)] = [(.requestRate, point.requestsPerSecond), (.errorRatio, point.errorRatio),
                                                             (.p95Seconds, point.p95Seconds), (.memoryRatio, point.memoryRatio)]
            for case let (curve, value?) in values where value.isFinite {
                buckets[curve, default: [:]][index, default: (0, 0)].sum += value
                buckets[curve, default: [:]][index, default: (0, 0)].count += 1
            }
        }
        var fits: [CurveFit] = []
        for curve in IncidentRecord.Curve.allCases {
            let run = (buckets[curve] ?? [:]).mapValues { $0.sum / Double($0.count) }
            let incident = record.curve(curve)
            fits += fit(curve: curve, incident: incident, run: run).map { [$0] } ?? []
        }
        let drillAlerts = firingOrder(journal.timeline.filter { $0.at >= start })
        let order = orderAgreement(record.alertOrder, drillAlerts)
        let curveMean = fits.isEmpty ? 0 : fits.map(\.similarity).reduce(0, +) / Double(fits.count)
        return FidelityScore(curves: fits, incidentAlerts: record.alertOrder, drillAlerts: drillAlerts, orderAgreement: order,
                             score: 0.5 * curveMean + 0.5 * order)
    }

    /// A curve's fit: incident samples by step index against the run's averages by the same index.
    static func fit(curve: IncidentRecord.Curve, incident: [Double?], run: [Int: Double]) -> CurveFit? {
        let pairs = incident.enumerated().compactMap { index, value -> (Double, Double)? in
            guard let value, value.isFinite, let measured = run[index] else { return nil }
            return (value, measured)
        }
        guard !pairs.isEmpty else { return nil }
        let scale = max(incident.compactMap { $0 }.filter(\.isFinite).map(abs).max() ?? 0, floors[curve] ?? 1)
        let distance = pairs.map { abs($0.1 - $0.0) }.reduce(0, +) / Double(pairs.count) / scale
        return CurveFit(curve: curve.rawValue, distance: distance, similarity: max(0, 1 - distance), points: pairs.count)
    }

    /// Alerts by first `alert_firing` event; alerts that fired in the same poll by first `alert_pending`.
    static func firingOrder(_ events: [DrillJournal.Event]) -> [String] {
        func firsts(_ kind: DrillJournal.Event.Kind, _ suffix: String) -> [String: Date] {
            var result: [String: Date] = [:]
            for event in events where event.kind == kind {
                let name = event.label.hasSuffix(suffix) ? String(event.label.dropLast(suffix.count)) : event.label
                result[name] = min(result[name] ?? event.at, event.at)
            }
            return result
        }
        let firing = firsts(.alertFiring, " firing"), pending = firsts(.alertPending, " pending")
        return firing.keys.sorted { a, b in
            (firing[a]!, pending[a] ?? firing[a]!, a) < (firing[b]!, pending[b] ?? firing[b]!, b)
        }
    }

    /// Jaccard(A, B) × pairwise order agreement on A ∩ B.
    public static func orderAgreement(_ a: [String], _ b: [String]) -> Double {
        let setA = Set(a), setB = Set(b)
        let union = setA.union(setB)
        guard !union.isEmpty else { return 1 }
        let common = a.filter(setB.contains)
        let jaccard = Double(common.count) / Double(union.count)
        guard common.count >= 2 else { return jaccard }
        let position = Dictionary(uniqueKeysWithValues: b.enumerated().map { ($1, $0) })
        var agree = 0, pairs = 0
        for i in common.indices {
            for j in common.indices where j > i {
                pairs += 1
                if position[common[i]]! < position[common[j]]! { agree += 1 }
            }
        }
        return jaccard * Double(agree) / Double(pairs)
    }
}
