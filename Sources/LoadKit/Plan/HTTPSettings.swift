/// Connection and request defaults.
public struct HTTPSettings: Sendable, Hashable {
    /// Seconds to wait for a response (per request unless it sets its own).
    public var timeout: Double
    /// Seconds to wait for a TCP (and TLS) connection.
    public var connectTimeout: Double
    /// Headers sent with every request.
    public var headers: [NamedTemplate]
    /// Skip TLS certificate verification.
    public var insecure: Bool
    /// The `User-Agent` header.
    public var userAgent: String

    /// Creates settings.
    public init(
        timeout: Double = 60, connectTimeout: Double = 10, headers: [NamedTemplate] = [],
        insecure: Bool = false, userAgent: String = "firedrill/\(LoadKit.version)"
    ) {
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.headers = headers
        self.insecure = insecure
        self.userAgent = userAgent
    }
}
