import AsyncHTTPClient
import Foundation
import NIOCore

/// GETs JSON from Prometheus-family APIs; failures become `ControlError`s naming the URL.
enum HTTPJSON {
    static func get(_ url: String, timeout: Duration) async throws -> Any {
        let request = HTTPClientRequest(url: url)
        let response: HTTPClientResponse
        do {
            let (seconds, attoseconds) = timeout.components
            response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        } catch {
            throw ControlError(message: "cannot reach \(url): \(error)")
        }
        let data = Data(try await response.body.collect(upTo: 32 << 20).readableBytesView)
        let object = try? JSONSerialization.jsonObject(with: data)
        guard (200..<300).contains(Int(response.status.code)) else {
            let detail = ((object as? [String: Any])?["error"] as? String) ?? String(decoding: data.prefix(500), as: UTF8.self)
            throw ControlError(message: "GET \(url) → HTTP \(response.status.code): \(detail)")
        }
        guard let object else { throw ControlError(message: "GET \(url): the answer is not JSON") }
        return object
    }

    static func query(_ items: [String: String]) -> String {
        var components = URLComponents()
        components.queryItems = items.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        // URLComponents leaves '+' alone, which servers read as a space.
        return (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    static func labels(_ value: Any?) -> [String: String] {
        (value as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
    }

    /// Parses RFC 3339 timestamps with any number of fractional digits (Prometheus writes nanoseconds).
    static func date(_ value: Any?) -> Date? {
        guard var text = value as? String, !text.isEmpty else { return nil }
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix(while: \.isNumber)
            fraction = Double("0." + digits) ?? 0
            text.removeSubrange(dot..<text.index(dot, offsetBy: digits.count + 1))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { $0.addingTimeInterval(fraction) }
    }

    static func number(_ value: Any?) -> Double? {
        switch value {
        case let string as String: Double(string)
        case let number as NSNumber: number.doubleValue
        default: nil
        }
    }
}
