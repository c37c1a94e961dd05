import FiredrillSupport

/// `/metrics` of the proxy (Prometheus text format): open connections, bytes by direction, and the
/// toxics in force, per proxy.
enum ProxyMetrics {
    static func render(_ proxies: [ProxyRuntime]) -> String {
        var out = """
            # HELP firedrill_proxy_connections Open client connections through the proxy.
            # TYPE firedrill_proxy_connections gauge

            """
        let rows = proxies.map { ($0.spec.name, $0.counters, $0.toxics) }
        for (name, counters, _) in rows {
            out += "firedrill_proxy_connections{proxy=\(label(name))} \(counters.connections)\n"
        }
        out += """
            # HELP firedrill_proxy_bytes_total Bytes written through the proxy (upstream: to the service, downstream: to the client).
            # TYPE firedrill_proxy_bytes_total counter

            """
        for (name, counters, _) in rows {
            out += "firedrill_proxy_bytes_total{direction=\"upstream\",proxy=\(label(name))} \(counters.up)\n"
            out += "firedrill_proxy_bytes_total{direction=\"downstream\",proxy=\(label(name))} \(counters.down)\n"
        }
        out += """
            # HELP firedrill_proxy_toxic_active 1 for each toxic in force.
            # TYPE firedrill_proxy_toxic_active gauge

            """
        for (name, _, toxics) in rows {
            for toxic in toxics {
                out += "firedrill_proxy_toxic_active{proxy=\(label(name)),toxic=\(label(toxic.spec.name)),type=\(label(toxic.spec.kind.typeName))} 1\n"
            }
        }
        return out
    }

    /// A label value, quoted: names hold no control characters (`ProxySpec`/`ToxicSpec` refuse
    /// them), so JSON's quoting (`\\` and `\"`) is exactly the exposition format's.
    private static func label(_ value: String) -> String { JSONText.quoted(value) }
}
