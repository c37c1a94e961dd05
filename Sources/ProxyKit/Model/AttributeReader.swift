import FiredrillSupport

/// Reads one toxic type's `attributes`: every attribute optional with Toxiproxy's default (0), whole
/// numbers where Toxiproxy has int64 fields, and an unknown attribute refused with a did-you-mean
/// (Toxiproxy silently ignores it, which hides typos such as `latncy`).
struct AttributeReader {
    let type: String
    var attributes: [String: JSONValue]
    private var known: [String] = []

    init(type: String, attributes: [String: JSONValue]) {
        self.type = type
        self.attributes = attributes
    }

    mutating func kind() throws -> ToxicKind {
        let kind: ToxicKind
        switch type {
        case "latency": kind = .latency(latency: try int("latency"), jitter: try int("jitter"))
        case "bandwidth": kind = .bandwidth(rate: try int("rate"))
        case "slow_close": kind = .slowClose(delay: try int("delay"))
        case "timeout": kind = .timeout(timeout: try int("timeout"))
        case "reset_peer": kind = .resetPeer(timeout: try int("timeout"))
        case "slicer":
            let average = try int("average_size"), variation = try int("size_variation"), delay = try int("delay")
            guard variation <= average else {
                throw ProxyError.badBody("slicer: size_variation (\(variation)) must not exceed average_size (\(average))")
            }
            kind = .slicer(averageSize: average, sizeVariation: variation, delay: delay)
        case "limit_data": kind = .limitData(bytes: try int("bytes"))
        case "http_status": kind = .httpStatus(try match(), status: try status(503), body: try text("body", Self.defaultBody))
        case "http_latency": kind = .httpLatency(try match(), latency: try int("latency"), jitter: try int("jitter"))
        case "fail_first":
            kind = .failFirst(try match(), requests: try int("requests", default: 1), status: try status(503), body: try text("body", Self.defaultBody))
        case "http_abort": kind = .httpAbort(try match(), bodyBytes: try int("body_bytes", default: -1, minimum: -1))
        default: throw ProxyError(.badRequest, "invalid toxic type: '\(type)'" + Suggestion.hint(for: type, in: ToxicKind.typeNames))
        }
        for key in attributes.keys.sorted() where !known.contains(key) {
            throw ProxyError.badBody("\(type) has no attribute '\(key)'" + Suggestion.hint(for: key, in: known)
                                     + " (attributes: \(known.joined(separator: ", ")))")
        }
        return kind
    }

    static let defaultBody = #"{"error":"injected by firedrill proxy"}"#

    private mutating func int(_ key: String, default value: Int64 = 0, minimum: Int64 = 0) throws -> Int64 {
        known.append(key)
        guard let raw = attributes[key], raw != .null else { return value }
        guard let number = raw.intValue else { throw ProxyError.badBody("\(type).\(key) must be a whole number, got \(raw.brief)") }
        guard number >= minimum else { throw ProxyError.badBody("\(type).\(key) must be \(minimum) or more, got \(number)") }
        return number
    }

    private mutating func text(_ key: String, _ value: String) throws -> String {
        known.append(key)
        guard let raw = attributes[key], raw != .null else { return value }
        guard let s = raw.stringValue else { throw ProxyError.badBody("\(type).\(key) must be a string, got \(raw.brief)") }
        return s
    }

    private mutating func status(_ value: Int64) throws -> Int64 {
        let status = try int("status", default: value)
        guard (100...599).contains(status) else { throw ProxyError.badBody("\(type).status must be an HTTP status 100…599, got \(status)") }
        return status
    }

    private mutating func match() throws -> HTTPMatch {
        HTTPMatch(method: try text("method", ""), path: try text("path", ""))
    }
}
