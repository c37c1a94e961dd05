import Foundation

/// The body of `POST /admin/workers`: scale the pool and/or change worker recycling.
public struct WorkersRequest: Codable, Sendable, Equatable {
    /// Workers wanted, 1…64.
    public var count: Int?
    /// Recycle a worker after this many requests (0 = never).
    public var maxRequests: Int?
    /// Up to this many extra requests per worker before it recycles.
    public var maxRequestsJitter: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case count, maxRequests = "max_requests", maxRequestsJitter = "max_requests_jitter"
    }

    public init(count: Int? = nil, maxRequests: Int? = nil, maxRequestsJitter: Int? = nil) {
        self.count = count
        self.maxRequests = maxRequests
        self.maxRequestsJitter = maxRequestsJitter
    }

    /// Decodes and validates a request body (a body that is not a JSON object counts as `{}`).
    public static func decode(_ data: Data) throws(RequestBodyError) -> WorkersRequest {
        let object = RequestBody.object(data) ?? [:]
        try RequestBody.rejectUnknown(
            object, known: CodingKeys.allCases.map(\.rawValue), expected: "count, max_requests, max_requests_jitter")
        let request = WorkersRequest(
            count: try integer(object, .count), maxRequests: try integer(object, .maxRequests),
            maxRequestsJitter: try integer(object, .maxRequestsJitter))
        try request.validate()
        return request
    }

    /// Checks ranges and that something is asked for.
    public func validate() throws(RequestBodyError) {
        for (key, value) in [(CodingKeys.count, count), (.maxRequests, maxRequests), (.maxRequestsJitter, maxRequestsJitter)] {
            if let value, !Self.range(key).contains(value) { throw Self.outOfRange(key) }
        }
        guard count != nil || maxRequests != nil else {
            throw .missing("count", "send 'count' (1…64) and/or 'max_requests' (with optional 'max_requests_jitter')")
        }
    }

    private static func range(_ key: CodingKeys) -> ClosedRange<Int> { key == .count ? 1...64 : 0...100_000_000 }

    private static func outOfRange(_ key: CodingKeys) -> RequestBodyError {
        let range = range(key)
        return .invalid(key.rawValue, "field '\(key.rawValue)' must be an integer in \(range.lowerBound)…\(range.upperBound)")
    }

    private static func integer(_ object: [String: Any], _ key: CodingKeys) throws(RequestBodyError) -> Int? {
        guard let value = object[key.rawValue] else { return nil }
        guard let number = value as? Int, range(key).contains(number) else { throw outOfRange(key) }
        return number
    }
}

/// The body of `POST /admin/workers/restart`: a rolling restart, optionally shipping another
/// `generate_features` implementation.
public struct RestartRequest: Codable, Sendable, Equatable {
    public var featuresImpl: FeaturesImplementation?

    enum CodingKeys: String, CodingKey { case featuresImpl = "features_impl" }

    public init(featuresImpl: FeaturesImplementation? = nil) { self.featuresImpl = featuresImpl }

    /// Decodes a request body (a body that is not a JSON object counts as `{}`; other fields are ignored).
    public static func decode(_ data: Data) throws(RequestBodyError) -> RestartRequest {
        let object = RequestBody.object(data) ?? [:]
        guard let value = object[CodingKeys.featuresImpl.rawValue] else { return RestartRequest() }
        guard let text = value as? String, let implementation = FeaturesImplementation(rawValue: text) else {
            throw .invalid("features_impl", "field 'features_impl' must be 'legacy' or 'patched'")
        }
        return RestartRequest(featuresImpl: implementation)
    }
}
