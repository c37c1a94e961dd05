import Foundation

/// Reads HAR 1.2 archives (browser dev tools, proxies): `log.entries[]` with `startedDateTime`, the
/// request's method, URL, headers and `postData` (its `text`, or its `params` form-encoded), to one origin.
struct HARParser {
    /// Only requests to this origin are replayed (nil: the origin most entries went to); entries to
    /// other origins (a CDN, analytics) are counted as rejected, with the origin named.
    var origin: Origin?

    func parse(_ data: Data) -> Result<TrafficLog, ReplayError> {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let log = root["log"] as? [String: Any], let entries = log["entries"] as? [Any] else {
            return .failure(ReplayError("not a HAR file: expected a JSON object with log.entries"))
        }
        let parsed = entries.enumerated().map { i, raw in (i, request(raw, index: i)) }
        var counts: [Origin: Int] = [:]
        for case (_, .success(let r)) in parsed {
            if let o = TargetURL(r.target)?.origin { counts[o, default: 0] += 1 }
        }
        let main = origin ?? counts.max { ($0.value, $1.key.description) < ($1.value, $0.key.description) }?.key
        var c = LogCollector()
        for (i, result) in parsed {
            switch result {
            case .success(let r):
                if let main, let o = TargetURL(r.target)?.origin, o != main {
                    c.reject(line: i + 1, "entries[\(i)]: \(o) is not the replayed origin \(main) (choose one with --origin)")
                } else {
                    c.requests.append(r)
                }
            case .failure(let e): c.reject(line: i + 1, "entries[\(i)]: " + e.message)
            }
        }
        return .success(c.log(.har))
    }

    func request(_ raw: Any, index: Int) -> Result<RecordedRequest, ReplayError> {
        guard let entry = raw as? [String: Any] else { return .failure(ReplayError("not an object")) }
        guard let started = entry["startedDateTime"] as? String,
              let time = LogTimestamp.parse(Substring(started)) else {
            return .failure(ReplayError("startedDateTime missing or not ISO 8601"))
        }
        guard let req = entry["request"] as? [String: Any], let method = req["method"] as? String,
              let url = req["url"] as? String, TargetURL(url) != nil else {
            return .failure(ReplayError("request.method or an absolute request.url is missing"))
        }
        var headers: [RecordedRequest.Header] = []
        for h in req["headers"] as? [[String: Any]] ?? [] {
            guard let name = h["name"] as? String, let value = h["value"] as? String else { continue }
            headers.append(.init(name: name, value: value))
        }
        var body: [UInt8]?
        if let post = req["postData"] as? [String: Any] {
            if let text = post["text"] as? String {
                body = Array(text.utf8)
            } else if let params = post["params"] as? [[String: Any]] {
                let form = params.map { p in
                    let name = (p["name"] as? String ?? "").addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
                    let value = (p["value"] as? String ?? "").addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
                    return name + "=" + value
                }.joined(separator: "&")
                body = Array(form.utf8)
            }
            if let mime = post["mimeType"] as? String, !mime.isEmpty,
               !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(.init(name: "Content-Type", value: mime))
            }
        }
        return .success(RecordedRequest(time: time, method: method, target: url, headers: headers, body: body, line: index + 1))
    }
}
