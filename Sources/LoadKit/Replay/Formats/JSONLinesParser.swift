import Foundation

/// Reads JSON lines logs: one JSON object per line, fields named by ``JSONLinesFields``.
///
/// Lines are decoded into ``JSONValue``s (Codable), which keep numbers and booleans apart:
/// `JSONSerialization`'s NSNumbers bridge 0 and 1 to `Bool`, so `"time": 1` once read as `true`.
struct JSONLinesParser {
    let fields: JSONLinesFields

    func parse(_ text: String) -> TrafficLog {
        LogCollector.collect(text, as: .jsonLines) { line, number in request(line, number: number) }
    }

    func request(_ line: Substring, number: Int) -> Result<RecordedRequest, ReplayError> {
        guard case .object(let object)? = JSONValue.parse(line.utf8) else {
            return .failure(ReplayError("not a JSON object"))
        }
        guard let (timeKey, rawTime) = Self.first(fields.time, in: object) else {
            return .failure(ReplayError("no time field (tried \(fields.time.joined(separator: ", ")); set one with --field time=NAME)"))
        }
        let time: Double?
        switch rawTime {
        case .number(let n): time = LogTimestamp.epoch(n)
        case .string(let s): time = LogTimestamp.parse(Substring(s))
        case .bool(let b): return .failure(ReplayError("\(timeKey): \(b) is a boolean, not a time"))
        default: time = nil
        }
        guard let time else { return .failure(ReplayError("\(timeKey): not a time: \(Self.text(rawTime))")) }
        var method = Self.first(fields.method, in: object).flatMap { Self.string($0.1) }
        var target = Self.first(fields.url, in: object).flatMap { Self.string($0.1) }
        if method == nil || target == nil, let line = Self.first(fields.request, in: object).flatMap({ Self.string($0.1) }) {
            let parts = line.split(separator: " ")
            if parts.count >= 2 {
                method = method ?? String(parts[0])
                target = target ?? String(parts[1])
            }
        }
        guard let target, target.first == "/" || target.hasPrefix("http://") || target.hasPrefix("https://") else {
            return .failure(ReplayError("no URL field (tried \(fields.url.joined(separator: ", ")); set one with --field url=NAME)"))
        }
        let m = method ?? "GET"
        guard !m.isEmpty, m.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return .failure(ReplayError("bad method '\(m)'"))
        }
        var headers: [RecordedRequest.Header] = []
        switch Self.first(fields.headers, in: object)?.1 {
        case .object(let dict)?:
            for (k, v) in dict { headers.append(.init(name: k, value: Self.text(v))) }
            headers.sort { $0.name < $1.name }
        case .array(let list)?:
            for case .object(let h) in list {
                if case .string(let n)? = h["name"] { headers.append(.init(name: n, value: Self.text(h["value"] ?? .string("")))) }
            }
        default:
            break
        }
        var body: [UInt8]?
        switch Self.first(fields.body, in: object)?.1 {
        case nil, .null?: break
        case .string(let s)?: body = Array(s.utf8)
        case let raw?: body = Array(raw.jsonText.utf8)
        }
        return .success(RecordedRequest(time: time, method: m, target: target, headers: headers, body: body, line: number))
    }

    /// The first of `paths` present in `object` (dotted paths walk nested objects).
    static func first(_ paths: [String], in object: [String: JSONValue]) -> (String, JSONValue)? {
        for path in paths {
            if let v = object[path] { return (path, v) }
            var current: JSONValue? = .object(object)
            for part in path.split(separator: ".") {
                guard case .object(let o)? = current else { current = nil; break }
                current = o[String(part)]
            }
            if let current { return (path, current) }
        }
        return nil
    }

    static func string(_ v: JSONValue) -> String? {
        if case .string(let s) = v { return s }
        return nil
    }

    /// A value as header text: strings as they are, numbers and booleans as written, others as JSON.
    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string, .number, .bool, .null: return v.templateValue.text
        case .array, .object: return v.jsonText
        }
    }
}
