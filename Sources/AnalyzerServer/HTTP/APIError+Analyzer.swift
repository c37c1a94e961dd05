import AnalyzerAPI
import Hummingbird

/// The one place domain errors become HTTP errors (used by ``ErrorMiddleware`` and the pages).
extension APIError {
    /// An analyzer error with its status: 404, 422, 400, 409, 413, 503 or 500.
    init(_ error: AnalyzerError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .notFound: .notFound
        case .invalid: .unprocessableContent
        case .malformed: .badRequest
        case .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        case .failed: .internalServerError
        }
        self.init(status, code: error.code, error.message)
    }

    /// An admin request body refused by the contract's validation: 400 `invalid_json`, else 422.
    init(_ error: RequestBodyError) {
        self.init(error.kind == .invalidJSON ? .badRequest : .unprocessableContent, code: error.code, error.message)
    }
}
