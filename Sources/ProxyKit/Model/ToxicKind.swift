/// A toxic's type and typed attributes: Toxiproxy's seven TCP toxics plus Firedrill's four HTTP ones.
/// Times are in Toxiproxy's units (milliseconds; the slicer's delay in microseconds).
public enum ToxicKind: Sendable, Equatable {
    case latency(latency: Int64, jitter: Int64)
    case bandwidth(rate: Int64)
    case slowClose(delay: Int64)
    case timeout(timeout: Int64)
    case resetPeer(timeout: Int64)
    case slicer(averageSize: Int64, sizeVariation: Int64, delay: Int64)
    case limitData(bytes: Int64)
    case httpStatus(HTTPMatch, status: Int64, body: String)
    case httpLatency(HTTPMatch, latency: Int64, jitter: Int64)
    case failFirst(HTTPMatch, requests: Int64, status: Int64, body: String)
    case httpAbort(HTTPMatch, bodyBytes: Int64)

    /// Toxiproxy's type names, then ours.
    public static let typeNames = ["latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer", "limit_data",
                                   "http_status", "http_latency", "fail_first", "http_abort"]

    /// The type name, as the API spells it.
    public var typeName: String {
        switch self {
        case .latency: "latency"
        case .bandwidth: "bandwidth"
        case .slowClose: "slow_close"
        case .timeout: "timeout"
        case .resetPeer: "reset_peer"
        case .slicer: "slicer"
        case .limitData: "limit_data"
        case .httpStatus: "http_status"
        case .httpLatency: "http_latency"
        case .failFirst: "fail_first"
        case .httpAbort: "http_abort"
        }
    }

    /// True for the toxics that read HTTP requests (they need a proxy with `"protocol": "http"`).
    public var isHTTP: Bool { typeName.hasPrefix("http_") || typeName == "fail_first" }

    /// The `attributes` object, with every attribute (defaults included), as Toxiproxy shows them.
    var attributes: [String: Any] {
        switch self {
        case .latency(let latency, let jitter): ["latency": latency, "jitter": jitter]
        case .bandwidth(let rate): ["rate": rate]
        case .slowClose(let delay): ["delay": delay]
        case .timeout(let timeout): ["timeout": timeout]
        case .resetPeer(let timeout): ["timeout": timeout]
        case .slicer(let average, let variation, let delay): ["average_size": average, "size_variation": variation, "delay": delay]
        case .limitData(let bytes): ["bytes": bytes]
        case .httpStatus(let match, let status, let body): match.attributes.merging(["status": status, "body": body]) { $1 }
        case .httpLatency(let match, let latency, let jitter): match.attributes.merging(["latency": latency, "jitter": jitter]) { $1 }
        case .failFirst(let match, let requests, let status, let body):
            match.attributes.merging(["requests": requests, "status": status, "body": body]) { $1 }
        case .httpAbort(let match, let bodyBytes): match.attributes.merging(["body_bytes": bodyBytes]) { $1 }
        }
    }
}

/// Which HTTP requests an HTTP toxic acts on: a method (empty = any) and a path pattern (empty = any).
public struct HTTPMatch: Sendable, Equatable {
    public var method: String
    public var path: PathPattern

    public init(method: String = "", path: String = "") {
        self.method = method.uppercased()
        self.path = PathPattern(path)
    }

    /// True when a request with `method` and `target` (path and query) matches.
    func matches(method: Substring, target: Substring) -> Bool {
        if !self.method.isEmpty, self.method != method { return false }
        let path = target.prefix { $0 != "?" && $0 != "#" }
        return self.path.matches(path)
    }

    var attributes: [String: Any] { ["method": method, "path": path.text] }
}
