/// How far a live distribution is from the training one, by PSI.
public enum DriftVerdict: String, Sendable, Codable, Equatable, Comparable {
    /// No live value yet.
    case noData = "no_data"
    /// PSI < 0.1.
    case stable
    /// 0.1 ≤ PSI ≤ 0.2.
    case moderate
    /// PSI > 0.2: the data-drift alert's condition.
    case drifted

    /// The verdict for a PSI value (nil or NaN: no data).
    public init(psi: Double?) {
        guard let psi, !psi.isNaN else { self = .noData; return }
        if psi < PSI.stableBelow {
            self = .stable
        } else if psi > PSI.driftedAbove {
            self = .drifted
        } else {
            self = .moderate
        }
    }

    private var rank: Int {
        switch self {
        case .noData: 0
        case .stable: 1
        case .moderate: 2
        case .drifted: 3
        }
    }

    public static func < (a: DriftVerdict, b: DriftVerdict) -> Bool { a.rank < b.rank }
}
