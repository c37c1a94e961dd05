import AnalyzerCore

extension FeatureValue: Decodable {
    static let nonFiniteWords: Set<String> = ["nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"]

    /// JSON `null` is a missing value; booleans, numbers and strings map to their cases.
    /// Numbers are tried first, then strings, then booleans: JSONDecoder never converts between
    /// them, so the order only decides how many failed attempts (each a thrown error) the common
    /// cases cost — none for a number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .missing
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let text = try? container.decode(String.self) {
            self = FeatureValue(jsonString: text)
        } else {
            self = .bool(try container.decode(Bool.self))
        }
    }

    /// A JSON string value. JSON cannot carry NaN/Infinity as numbers, so clients send them as
    /// strings: keep them non-finite so that generate_features refuses them by name instead of imputing.
    init(jsonString text: String) {
        if Self.nonFiniteWords.contains(text.lowercased()), let value = Double(text.lowercased().replacingOccurrences(of: "infinity", with: "inf")) {
            self = .number(value)
        } else {
            self = .string(text)
        }
    }
}
