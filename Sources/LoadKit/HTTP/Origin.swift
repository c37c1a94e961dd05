import FiredrillSupport

/// The scheme, host and port a connection goes to.
public struct Origin: Hashable, Sendable, CustomStringConvertible {
    /// True for https.
    public var tls: Bool
    /// Host name or IP literal (IPv6 without brackets).
    public var host: String
    /// TCP port.
    public var port: Int

    /// Creates an origin.
    public init(tls: Bool, host: String, port: Int) {
        self.tls = tls
        self.host = host
        self.port = port
    }

    /// The value of the `Host` header for this origin.
    public var hostHeader: String {
        let h = URLText.host(host)
        return port == (tls ? 443 : 80) ? h : "\(h):\(port)"
    }

    public var description: String { "\(tls ? "https" : "http")://\(hostHeader)" }
}

/// An absolute http(s) URL split into origin and request target.
public struct TargetURL: Hashable, Sendable {
    /// Where to connect.
    public var origin: Origin
    /// Path and query, starting with `/`.
    public var pathAndQuery: String

    /// Parses `http://host[:port][/path][?query]`; returns nil for anything else.
    public init?(_ string: String) {
        let lower = string.lowercased()
        let tls: Bool
        let rest: Substring
        if lower.hasPrefix("http://") {
            tls = false
            rest = string.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            tls = true
            rest = string.dropFirst(8)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[rest.startIndex..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.isEmpty { target = "/" } else if target.hasPrefix("?") { target = "/" + target }
        var host: Substring
        var port = tls ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
                port = p
            } else if !after.isEmpty {
                return nil
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            port = p
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        self.origin = Origin(tls: tls, host: String(host), port: port)
        self.pathAndQuery = target
    }

    /// Resolves a `Location` header value against this URL.
    public func resolving(_ location: String) -> TargetURL? {
        if let absolute = TargetURL(location) { return absolute }
        var copy = self
        if location.hasPrefix("//") {
            return TargetURL((origin.tls ? "https:" : "http:") + location)
        } else if location.hasPrefix("/") {
            copy.pathAndQuery = location
        } else if location.hasPrefix("?") {
            let path = pathAndQuery.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
            copy.pathAndQuery = path + location
        } else {
            let path = pathAndQuery.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
            let dir = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
            copy.pathAndQuery = dir + location
        }
        if let hash = copy.pathAndQuery.firstIndex(of: "#") {
            copy.pathAndQuery = String(copy.pathAndQuery[..<hash])
        }
        return copy
    }
}
