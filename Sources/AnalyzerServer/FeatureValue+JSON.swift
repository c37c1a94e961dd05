import AnalyzerCore

extension FeatureValue: Decodable {
    static let nonFiniteWords: Set<String> = ["nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"]

    /// JSON `null` is a missing value; booleans, numbers and strings map to their cases.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .missing
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            let text = try container.decode(String.self)
            // JSON cannot carry NaN/Infinity as numbers, so clients send them as strings: keep them
            // non-finite so that generate_features refuses them by name instead of imputing.
            if Self.nonFiniteWords.contains(text.lowercased()), let value = Double(text.lowercased().replacingOccurrences(of: "infinity", with: "inf")) {
                self = .number(value)
            } else {
                self = .string(text)
            }
        }
    }
}
