/// A proxy as the API shows it.
public struct ProxyInfo: Sendable, Decodable, Equatable {
    public let name: String
    /// The address it listens on (with the real port when created with port 0).
    public let listen: String
    public let upstream: String
    public let enabled: Bool
    /// `tcp` or `http`; nil from a Toxiproxy server, which has no such field.
    public let `protocol`: String?
    public let toxics: [ToxicInfo]

    /// The port part of `listen`.
    public var port: Int? { listen.split(separator: ":").last.flatMap { Int($0) } }
}

/// A toxic as the API shows it.
public struct ToxicInfo: Sendable, Decodable, Equatable {
    public let name: String
    public let type: String
    public let stream: String
    public let toxicity: Double
    public let attributes: [String: JSONValue]
    /// Our extra: the time to live as given, if any.
    public let ttl: String?
}
