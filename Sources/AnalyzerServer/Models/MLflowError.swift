/// A failed call to the MLflow tracking server: its HTTP status and MLflow error code, or a
/// transport error.
struct MLflowError: Error, Sendable, CustomStringConvertible {
    /// HTTP status (nil when no response arrived).
    let status: Int?
    /// MLflow's `error_code` (`RESOURCE_DOES_NOT_EXIST`, `RESOURCE_ALREADY_EXISTS`, …).
    let code: String?
    let message: String

    var description: String {
        "MLflow: \(status.map { "HTTP \($0) " } ?? "")\(code.map { "\($0): " } ?? "")\(message)"
    }
}
