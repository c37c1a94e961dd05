/// A refusal of the proxy's control plane, in Toxiproxy's categories; the HTTP edge turns `kind`
/// into Toxiproxy's status code and `message` into `{"error": …, "status": …}`.
public struct ProxyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 400: bad JSON, a missing field, an invalid toxic type, stream or attribute.
        case badRequest
        /// 404: no such proxy or toxic.
        case notFound
        /// 409: a proxy or toxic of that name exists.
        case conflict
        /// 500: the operating system refused (a listen address in use, say), as Toxiproxy reports it.
        case failed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    // Toxiproxy's messages, word for word, with our detail after a colon.
    static func badBody(_ detail: String) -> ProxyError { ProxyError(.badRequest, "bad request body: " + detail) }
    static func missing(_ field: String) -> ProxyError { ProxyError(.badRequest, "missing required field: " + field) }
    static let proxyNotFound = ProxyError(.notFound, "proxy not found")
    static let proxyExists = ProxyError(.conflict, "proxy already exists")
    static let toxicNotFound = ProxyError(.notFound, "toxic not found")
    static let toxicExists = ProxyError(.conflict, "toxic already exists")
    static let invalidStream = ProxyError(.badRequest, "stream was invalid, can be either upstream or downstream")
}
