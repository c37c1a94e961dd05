import AnalyzerAPI
import AnalyzerStore
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Prometheus

/// The HTTP edge of errors: domain errors (``AnalyzerError``, the contract's `RequestBodyError`)
/// become their `APIError` (HTTP/APIError+Analyzer.swift), an unreachable database 503
/// (`store_unavailable`), a body the HTTP parser refuses (a malformed chunk) 400 `invalid_body`,
/// a body not received within `--body-timeout` 408, anything else a logged, JSON 500 (`internal_error`).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    /// Where unhandled errors are written; nil in the supervisor's control server (its log only).
    let errorLog: ErrorLog?
    /// Counts answers that failed because the store was unavailable; nil in the control server.
    var storeErrors: Counter? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch is NIOTooManyBytesError {
            // A body limit not named by `collect(upTo:flag:)`: still a JSON answer.
            throw APIError(.contentTooLarge, code: "payload_too_large", "request body is larger than \(request.uri.path) accepts")
        } catch let error as any HTTPResponseError {
            throw error
        } catch let error as AnalyzerError {
            if error.code == "store_unavailable" { storeErrors?.increment() }
            throw APIError(error)
        } catch let error as RequestBodyError {
            throw APIError(error)
        } catch let error as HTTPParserError {
            throw APIError(.badRequest, code: "invalid_body", "malformed HTTP request body (\(error.debugDescription)); check its chunked encoding or Content-Length")
        } catch let error as RequestReadTimeout {
            throw error.apiError
        } catch let error as StoreUnavailableError {
            storeErrors?.increment()
            logger.warning("store unavailable", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(AnalyzerError.storeUnavailable(error))
        } catch {
            logger.error(
                "unhandled error", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            errorLog?.write("\(request.method) \(request.uri.path): unhandled \(type(of: error)): \(error)")
            throw APIError(.internalServerError, code: "internal_error", "internal error; the service's error log has the details")
        }
    }
}
