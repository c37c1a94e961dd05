import Foundation
import Hummingbird

/// A POST body's fields: `application/x-www-form-urlencoded` (what Locust's UI and `requests.post(data=…)`
/// send) or a JSON object (values as text).
enum FormFields {
    static let limit = 64 * 1024

    static func read(_ request: Request) async throws(WebError) -> [String: String] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw WebError(.contentTooLarge, code: "body_too_large", message: "the form is larger than \(limit) bytes")
        }
        let text = String(buffer: buffer)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/json") {
            return try json(text)
        }
        if type.hasPrefix("multipart/") {
            throw WebError(.unsupportedMediaType, code: "unsupported_media_type",
                           message: "send the form as application/x-www-form-urlencoded or JSON")
        }
        return urlEncoded(text)
    }

    static func urlEncoded(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            out[key] = out[key].map { $0 + "," + value } ?? value
        }
        return out
    }

    static func json(_ text: String) throws(WebError) -> [String: String] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw WebError(.badRequest, code: "invalid_json", message: "the body is not a JSON object")
        }
        var out: [String: String] = [:]
        for (k, v) in object {
            switch v {
            case let s as String: out[k] = s
            case let n as NSNumber: out[k] = n.stringValue
            case let a as [Any]: out[k] = a.map { "\($0)" }.joined(separator: ",")
            case is NSNull: continue
            default: throw WebError.field(k, "must be a string or a number")
            }
        }
        return out
    }
}
