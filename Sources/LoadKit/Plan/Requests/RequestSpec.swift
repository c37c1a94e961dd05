/// One HTTP request of a task, as the scenario describes it.
public struct RequestSpec: Sendable {
    /// Groups statistics (Locust's `name=`); defaults to the path as written.
    public var name: String
    /// HTTP method, upper case.
    public var method: String
    /// Path (relative to the host) or absolute URL, templated.
    public var path: Template
    /// Query parameters appended to the path, templated values.
    public var query: [NamedTemplate]
    /// Extra request headers, templated values.
    public var headers: [NamedTemplate]
    /// Request body.
    public var body: BodySpec
    /// Conditions that mark the request failed.
    public var checks: Checks
    /// JSON paths copied into per-user variables after a successful response.
    public var extract: [Extraction]
    /// Response timeout in seconds (nil: the plan default).
    public var timeout: Double?
    /// Repeat the request until a condition holds.
    public var poll: PollSpec?
    /// Follow 301/302/303/307/308 redirects (up to 10).
    public var followRedirects: Bool

    /// Creates a request.
    public init(
        name: String? = nil, method: String = "GET", path: Template, query: [NamedTemplate] = [],
        headers: [NamedTemplate] = [], body: BodySpec = .none, checks: Checks = Checks(),
        extract: [Extraction] = [], timeout: Double? = nil, poll: PollSpec? = nil, followRedirects: Bool = true
    ) {
        self.name = name ?? path.source
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.checks = checks
        self.extract = extract
        self.timeout = timeout
        self.poll = poll
        self.followRedirects = followRedirects
    }

    /// Whether checks, extraction or polling need the response body.
    var needsBody: Bool {
        !checks.json.isEmpty || !checks.bodyContains.isEmpty || !extract.isEmpty || poll != nil
    }
}
