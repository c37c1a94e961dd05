import AnalyzerCore
import AnalyzerStore

/// Why the service's logic cannot serve a request: raised by `Analyzer`, the request parsers and
/// everything else below the HTTP edge, which knows nothing of HTTP. `APIError(_:)` (HTTP/) maps
/// each kind to its status in one place.
public struct AnalyzerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure; the HTTP edge gives each its status.
    public enum Kind: Sendable, Equatable {
        /// No such dataset, model, prediction… (404).
        case notFound
        /// A value the client sent cannot be used (422).
        case invalid
        /// The request could not be read: bad JSON, multipart, empty body (400).
        case malformed
        /// The thing exists but is not in a state that allows it (409).
        case conflict
        /// The request is larger than the service accepts (413).
        case tooLarge
        /// Something the service depends on cannot be reached; try again later (503).
        case unavailable
        /// The service failed: `memory_error`, `internal_error` (500).
        case failed
    }

    public let kind: Kind
    /// Stable machine-readable code, snake_case.
    public let code: String
    /// Human message naming the field, column, line or id at fault.
    public let message: String

    public init(_ kind: Kind, code: String, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// `{what}_not_found`: "no {what} with id '{id}'".
    static func notFound(_ what: String, _ id: String) -> AnalyzerError {
        AnalyzerError(.notFound, code: "\(what)_not_found", "no \(what) with id '\(id)'")
    }

    /// `record`, or `{what}_not_found` when there is none.
    static func found<Record>(_ record: Record?, _ what: String, _ id: String) throws(AnalyzerError) -> Record {
        guard let record else { throw notFound(what, id) }
        return record
    }

    static func invalid(_ code: String, _ message: String) -> AnalyzerError { AnalyzerError(.invalid, code: code, message) }
    static func malformed(_ code: String, _ message: String) -> AnalyzerError { AnalyzerError(.malformed, code: code, message) }
    static func conflict(_ code: String, _ message: String) -> AnalyzerError { AnalyzerError(.conflict, code: code, message) }
    static func failed(_ code: String, _ message: String) -> AnalyzerError { AnalyzerError(.failed, code: code, message) }

    /// `store_unavailable`: the database cannot be reached; the request may succeed later.
    static func storeUnavailable(_ error: StoreUnavailableError) -> AnalyzerError {
        AnalyzerError(.unavailable, code: "store_unavailable", "the \(error.backend) store is unavailable: \(error.reason); try again later")
    }

    /// Any error of the layers below as an analyzer error (core and store errors keep their codes).
    static func from(_ error: any Error) -> AnalyzerError {
        switch error {
        case let error as AnalyzerError: error
        case let error as TrainingError: .invalid(error.code.rawValue, error.message)
        case let error as CSVError: .invalid(error.code, error.message)
        case let error as StoreUnavailableError: .storeUnavailable(error)
        default: .failed("internal_error", "\(error)")
        }
    }
}
