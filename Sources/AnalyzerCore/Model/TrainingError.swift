/// Why a model could not be trained; the message names the column, parameter or index at fault.
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Machine-readable cause.
    public enum Code: String, Sendable, Codable, CaseIterable {
        case unknownTarget = "unknown_target"
        case singleClass = "single_class"
        case targetAllMissing = "target_all_missing"
        case unknownAlgorithm = "unknown_algorithm"
        case unknownParameter = "unknown_parameter"
        case invalidParameter = "invalid_parameter"
        case taskMismatch = "task_mismatch"
        case invalidTestIndices = "invalid_test_indices"
        case tooFewRows = "too_few_rows"
        case valueTooLarge = "value_too_large"
    }

    /// Machine-readable cause.
    public let code: Code
    /// Human-readable explanation.
    public let message: String

    /// An error with `code` and `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
