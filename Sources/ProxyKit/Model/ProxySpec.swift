import FiredrillSupport

/// What a proxy speaks: plain TCP (Toxiproxy's only kind) or HTTP/1.1, which adds the HTTP toxics.
public enum ProxyProtocol: String, Sendable, Equatable {
    case tcp, http
}

/// A proxy as the API describes it: Toxiproxy's `name`, `listen`, `upstream`, `enabled`, plus our
/// `protocol`.
public struct ProxySpec: Sendable, Equatable {
    public var name: String
    /// `host:port`; port 0 picks a free port (the API then shows the real one).
    public var listen: String
    /// `host:port` of the service behind the proxy.
    public var upstream: String
    public var enabled: Bool
    public var `protocol`: ProxyProtocol

    public init(name: String, listen: String = "127.0.0.1:0", upstream: String, enabled: Bool = true, protocol: ProxyProtocol = .tcp) {
        self.name = name
        self.listen = listen
        self.upstream = upstream
        self.enabled = enabled
        self.protocol = `protocol`
    }

    static let fields = ["name", "listen", "upstream", "enabled", "protocol", "toxics"]

    /// Reads a proxy from the API's JSON. `base` supplies the fields left out (an update keeps the
    /// proxy's own); `position` names the entry of a populate list in messages.
    static func parse(_ json: JSONValue, base: ProxySpec? = nil, position: Int? = nil) throws -> ProxySpec {
        let at = position.map { " at proxy \($0)" } ?? ""
        guard case .object(let fields) = json else { throw ProxyError.badBody("a proxy must be a JSON object\(at)") }
        for key in fields.keys where !Self.fields.contains(key) {
            throw ProxyError.badBody("unknown field '\(key)'\(at)" + Suggestion.hint(for: key, in: Self.fields))
        }
        func string(_ key: String) throws -> String? {
            guard let v = fields[key], v != .null else { return nil }
            guard let s = v.stringValue else { throw ProxyError.badBody("\(key) must be a string\(at), got \(v.brief)") }
            return s
        }
        let name = try string("name") ?? base?.name ?? ""
        guard !name.isEmpty else { throw ProxyError.missing("name" + at) }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ProxyError.badBody("name must not contain control characters\(at)")
        }
        let upstream = try string("upstream") ?? base?.upstream ?? ""
        guard !upstream.isEmpty else { throw ProxyError.missing("upstream" + at) }
        var enabled = base?.enabled ?? true
        if let v = fields["enabled"], v != .null {
            guard case .bool(let b) = v else { throw ProxyError.badBody("enabled must be true or false\(at), got \(v.brief)") }
            enabled = b
        }
        let protocolText = try string("protocol") ?? base?.protocol.rawValue ?? "tcp"
        guard let proto = ProxyProtocol(rawValue: protocolText.lowercased()) else {
            throw ProxyError.badBody("protocol must be \"tcp\" or \"http\"\(at), got \"\(protocolText)\"")
        }
        let listen = try string("listen") ?? base?.listen ?? "127.0.0.1:0"
        _ = try HostPort(listen, field: "listen")
        _ = try HostPort(upstream, field: "upstream")
        return ProxySpec(name: name, listen: listen, upstream: upstream, enabled: enabled, protocol: proto)
    }
}

/// A `host:port` address (`127.0.0.1:8080`, `localhost:0`, `[::1]:80`, `:8080` for every interface).
struct HostPort: Equatable {
    let host: String
    let port: Int

    init(_ text: String, field: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ProxyError.badBody("\(field) must be host:port, got \"\(text)\"")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "::" : host
        self.port = port
    }
}
