/// Every error the service answers: `{"error": {"code": "…", "message": "…"}}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The error itself.
    public struct Detail: Codable, Sendable, Equatable {
        /// Stable machine-readable code, snake_case (`fault_not_found`, `invalid_field`, …).
        public var code: String
        /// Human message naming the field, column, line or id at fault.
        public var message: String
    }

    public var error: Detail

    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}
