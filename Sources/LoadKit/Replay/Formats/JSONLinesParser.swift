import Foundation

/// Reads JSON lines logs: one JSON object per line, fields named by ``JSONLinesFields``.
struct JSONLinesParser {
    let fields: JSONLinesFields

    func parse(_ text: String) -> TrafficLog {
        LogCollector.collect(text, as: .jsonLines) { line, number in request(line, number: number) }
    }

    func request(_ line: Substring, number: Int) -> Result<RecordedRequest, ReplayError> {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]))
                as? [String: Any] else {
            return .failure(ReplayError("not a JSON object"))
        }
        guard let (timeKey, rawTime) = Self.first(fields.time, in: object) else {
            return .failure(ReplayError("no time field (tried \(fields.time.joined(separator: ", ")); set one with --field time=NAME)"))
        }
        let time: Double?
        if let n = rawTime as? NSNumber, !(rawTime is Bool) {
            time = LogTimestamp.epoch(n.doubleValue)
        } else if let s = rawTime as? String {
            time = LogTimestamp.parse(Substring(s))
        } else {
            time = nil
        }
        guard let time else { return .failure(ReplayError("\(timeKey): not a time: \(rawTime)")) }
        var method = Self.first(fields.method, in: object).flatMap { $0.1 as? String }
        var target = Self.first(fields.url, in: object).flatMap { $0.1 as? String }
        if method == nil || target == nil, let line = Self.first(fields.request, in: object).flatMap({ $0.1 as? String }) {
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
        if let raw = Self.first(fields.headers, in: object)?.1 {
            if let dict = raw as? [String: Any] {
                for (k, v) in dict { headers.append(.init(name: k, value: Self.text(v))) }
                headers.sort { $0.name < $1.name }
            } else if let list = raw as? [[String: Any]] {
                for h in list {
                    if let n = h["name"] as? String { headers.append(.init(name: n, value: Self.text(h["value"] ?? ""))) }
                }
            }
        }
        var body: [UInt8]?
        if let raw = Self.first(fields.body, in: object)?.1, !(raw is NSNull) {
            if let s = raw as? String {
                body = Array(s.utf8)
            } else if let data = try? JSONSerialization.data(withJSONObject: raw, options: [.fragmentsAllowed, .sortedKeys]) {
                body = Array(data)
            }
        }
        return .success(RecordedRequest(time: time, method: m, target: target, headers: headers, body: body, line: number))
    }

    /// The first of `paths` present in `object` (dotted paths walk nested objects).
    static func first(_ paths: [String], in object: [String: Any]) -> (String, Any)? {
        for path in paths {
            if let v = object[path] { return (path, v) }
            var current: Any? = object
            for part in path.split(separator: ".") {
                current = (current as? [String: Any])?[String(part)]
            }
            if let current { return (path, current) }
        }
        return nil
    }

    static func text(_ v: Any) -> String {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        return "\(v)"
    }
}
