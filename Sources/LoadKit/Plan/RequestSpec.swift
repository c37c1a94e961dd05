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

/// A name with a templated value (a header or a query/form field).
public struct NamedTemplate: Sendable, Hashable {
    /// Field name.
    public var name: String
    /// Field value.
    public var value: Template

    /// Creates a pair.
    public init(_ name: String, _ value: Template) {
        self.name = name
        self.value = value
    }
}

/// A request body.
public enum BodySpec: Sendable, Hashable {
    case none
    /// JSON built from a template tree (a string that is exactly `${x}` keeps x's type).
    case json(JSONTemplate)
    /// Text with a content type.
    case text(Template, contentType: String)
    /// `application/x-www-form-urlencoded` fields.
    case form([NamedTemplate])
    /// Raw bytes (a file read at load time).
    case bytes([UInt8], contentType: String)
    /// A `multipart/form-data` upload of one file.
    case multipart(field: String, filename: String, bytes: [UInt8], contentType: String)
    /// The current row of a feeder as a JSON object (or `count` rows as an array), minus excluded columns.
    case feederRow(feeder: Int, columns: [Int], count: Int?)

    var isStatic: Bool {
        switch self {
        case .none, .bytes, .multipart: return true
        case .json(let j): return j.isStatic
        case .text(let t, _): return t.isStatic
        case .form(let f): return f.allSatisfy { $0.value.isStatic }
        case .feederRow: return false
        }
    }
}

/// A JSON document whose strings may hold templates.
public indirect enum JSONTemplate: Sendable, Hashable {
    case object([JSONMember])
    case array([JSONTemplate])
    case string(Template)
    /// A number, boolean or null written as-is.
    case literal(String)

    var isStatic: Bool {
        switch self {
        case .object(let m): return m.allSatisfy { $0.key.isStatic && $0.value.isStatic }
        case .array(let a): return a.allSatisfy(\.isStatic)
        case .string(let t): return t.isStatic
        case .literal: return true
        }
    }
}

/// One member of a JSON object template.
public struct JSONMember: Sendable, Hashable {
    /// Member name.
    public var key: Template
    /// Member value.
    public var value: JSONTemplate

    /// Creates a member.
    public init(key: Template, value: JSONTemplate) {
        self.key = key
        self.value = value
    }
}

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

/// A status code or a class such as `2xx`.
public enum StatusMatcher: Sendable, Hashable, CustomStringConvertible {
    case code(Int)
    case range(ClosedRange<Int>)

    func matches(_ status: Int) -> Bool {
        switch self {
        case .code(let c): return c == status
        case .range(let r): return r.contains(status)
        }
    }

    public var description: String {
        switch self {
        case .code(let c): return String(c)
        case .range(let r): return "\(r.lowerBound / 100)xx"
        }
    }
}

/// A condition on a JSON path of the response body.
public struct JSONCheck: Sendable, Hashable {
    /// What must hold at the path.
    public enum Expectation: Sendable, Hashable {
        case exists(Bool)
        case equals(TemplateValue)
    }

    /// Where to look.
    public var path: JSONPath
    /// What must hold.
    public var expectation: Expectation

    /// Creates a check.
    public init(path: JSONPath, expectation: Expectation) {
        self.path = path
        self.expectation = expectation
    }

    /// Nil when the condition holds, else a message that names the path (never the value seen).
    func failure(in document: JSONValue?) -> String? {
        let found = document.flatMap { path.evaluate($0) }
        switch expectation {
        case .exists(let want):
            if (found != nil) == want { return nil }
            return want ? "\(path) missing" : "\(path) present"
        case .equals(let expected):
            if let found, found.matches(expected) { return nil }
            return found == nil ? "\(path) missing" : "\(path) != \(expected.jsonText)"
        }
    }
}

/// Copies a JSON path of a response into a per-user variable.
public struct Extraction: Sendable, Hashable {
    /// Index into ``LoadPlan/userVariables``.
    public var variable: Int
    /// Where the value is.
    public var path: JSONPath

    /// Creates an extraction.
    public init(variable: Int, path: JSONPath) {
        self.variable = variable
        self.path = path
    }
}

/// Repeats a request until a JSON condition holds (e.g. a model finished training).
public struct PollSpec: Sendable, Hashable {
    /// Conditions that end the polling.
    public var until: [JSONCheck]
    /// Seconds between attempts.
    public var interval: Double
    /// Attempts before the request counts as failed.
    public var maxAttempts: Int

    /// Creates a poll.
    public init(until: [JSONCheck], interval: Double, maxAttempts: Int) {
        self.until = until
        self.interval = interval
        self.maxAttempts = maxAttempts
    }
}
