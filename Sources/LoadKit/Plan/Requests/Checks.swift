/// Conditions on a response; any that does not hold fails the request.
public struct Checks: Sendable, Hashable {
    /// Accepted statuses; nil means any status below 400.
    public var status: [StatusMatcher]?
    /// JSON path conditions.
    public var json: [JSONCheck]
    /// Substrings the body must contain.
    public var bodyContains: [String]

    /// Creates checks.
    public init(status: [StatusMatcher]? = nil, json: [JSONCheck] = [], bodyContains: [String] = []) {
        self.status = status
        self.json = json
        self.bodyContains = bodyContains
    }
}
