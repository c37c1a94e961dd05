import AnalyzerStore

extension APIError {
    /// HTTP 503 `store_unavailable`: the database cannot be reached; the request may succeed later.
    static func storeUnavailable(_ error: StoreUnavailableError) -> APIError {
        APIError(.serviceUnavailable, code: "store_unavailable", "the \(error.backend) store is unavailable: \(error.reason); try again later")
    }
}
