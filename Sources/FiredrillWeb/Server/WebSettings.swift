import Foundation

/// Where the web UI listens and who may use it (`--web-host`, `--web-port`, `--web-auth`).
public struct WebSettings: Sendable {
    /// Locust's default web port.
    public static let defaultPort = 8089

    /// Address to bind (`127.0.0.1` by default).
    public var host: String
    /// TCP port; 0 picks a free one.
    public var port: Int
    /// Basic-auth user and password; required when ``host`` is not a loopback address.
    public var credentials: (user: String, password: String)?

    /// Settings; see ``validate()`` for the rules.
    public init(host: String = "127.0.0.1", port: Int = WebSettings.defaultPort, credentials: (user: String, password: String)? = nil) {
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// Parses `user:pass` (the password may contain `:`), or nil when it has no `:` or an empty user.
    public static func credentials(parsing text: String) -> (user: String, password: String)? {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// True for `127.0.0.0/8`, `::1` and `localhost`.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }

    /// Refuses a port outside 0–65535 and a non-loopback address without credentials.
    public func validate() throws(WebSettingsError) {
        guard (0...65535).contains(port) else { throw .init("--web-port must be between 0 and 65535") }
        if !Self.isLoopback(host) && credentials == nil {
            throw .init("--web-host \(host) is not a loopback address: give --web-auth USER:PASS so the UI is not open to anyone")
        }
    }
}

/// A web setting that cannot be used, with a message naming the flag.
public struct WebSettingsError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public let description: String
    init(_ description: String) { self.description = description }
}
