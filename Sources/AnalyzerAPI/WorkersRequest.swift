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
        let request = try object.isEmpty ? WorkersRequest() : strictlyDecoded(data)
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

    /// The fields, read by `JSONDecoder`, which refuses booleans, fractions and strings for an
    /// `Int`. (`JSONSerialization` hands `true` over as an `NSNumber` that casts to `Int` 1, which
    /// once shrank the pool to one worker.)
    private static func strictlyDecoded(_ data: Data) throws(RequestBodyError) -> WorkersRequest {
        do {
            return try JSONDecoder().decode(WorkersRequest.self, from: data)
        } catch {
            let path: [any CodingKey] = switch error as? DecodingError {
            case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?: context.codingPath
            default: []
            }
            let key = path.first.flatMap { CodingKeys(stringValue: $0.stringValue) } ?? .count
            throw outOfRange(key)
        }
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
