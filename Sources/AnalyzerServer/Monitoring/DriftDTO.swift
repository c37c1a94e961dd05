import AnalyzerCore

/// `GET /api/models/{id}/drift`: the model id, then the ``DriftReport`` fields (window size and
/// limits, `psi_max`, `verdict`, per-feature PSI with bins) and the thresholds used.
struct DriftDTO: Encodable {
    let model: String
    let report: DriftReport
    /// Fewest rows before the gauges are exported.
    let minimumRows: Int

    enum CodingKeys: String, CodingKey {
        case model, thresholds
        case minimumRows = "gauge_minimum_rows"
    }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(minimumRows, forKey: .minimumRows)
        try c.encode(["stable_below": PSI.stableBelow, "drifted_above": PSI.driftedAbove], forKey: .thresholds)
    }
}
