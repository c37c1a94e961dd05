/// Base URLs as every client keeps them.
public enum URLText {
    /// `url` without one trailing `/`, so that `base + "/path"` has a single slash
    /// (`http://127.0.0.1:9090/` → `http://127.0.0.1:9090`).
    public static func base(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// `host` as a URL or a `Host` header writes it: an IPv6 address in brackets (`::1` → `[::1]`).
    public static func host(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    /// The URL of `path` on a listener at `host:port`, e.g. `http://[::1]:9646/metrics`.
    public static func http(host: String, port: Int, path: String) -> String {
        "http://\(Self.host(host)):\(port)\(path)"
    }
}
