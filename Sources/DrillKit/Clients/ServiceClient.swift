import AsyncHTTPClient
import FiredrillSupport
import Foundation
import NIOCore
import NIOHTTP1

/// Calls csv-analyzer's JSON API (and its token-protected `/admin` API) from the harness.
struct ServiceClient: Sendable {
    /// The service's base URL, without a trailing slash.
    let baseURL: String
    /// Bearer token for `/admin`.
    let token: String
    /// Per-call deadline.
    let timeout: Duration

    init(baseURL: String, token: String, timeout: Duration = .seconds(15)) {
        self.baseURL = URLText.base(baseURL)
        self.token = token
        self.timeout = timeout
    }

    /// An answer: the HTTP status, the raw body and the body parsed as a JSON object (empty if not one).
    struct Answer {
        var status: Int
        var body: Data
        var object: [String: Any]
    }

    /// Sends a request; transport failures become `ControlError`s naming the URL. HTTP errors are returned.
    func send(_ method: HTTPMethod, _ path: String, json: (any Encodable)? = nil, body: Data? = nil,
              contentType: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try Self.encoder.encode(json)))
        } else if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(timeout.milliseconds))
        } catch {
            throw ControlError(message: "cannot reach \(baseURL): \(method) \(path): \(error)")
        }
        let data: Data
        do {
            data = Data(try await response.body.collect(upTo: 32 << 20).readableBytesView)
        } catch {
            throw ControlError(message: "\(method) \(path): reading the answer failed: \(error)")
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return Answer(status: Int(response.status.code), body: data, object: object)
    }

    /// Sends a request and requires a 2xx answer; otherwise throws with the service's error code and message.
    @discardableResult
    func expectOK(_ method: HTTPMethod, _ path: String, json: (any Encodable)? = nil, body: Data? = nil,
                  contentType: String? = nil) async throws -> [String: Any] {
        try await expectAnswer(method, path, json: json, body: body, contentType: contentType).object
    }

    /// Sends a request, requires a 2xx answer and decodes it as `T` (a contract type of AnalyzerAPI).
    func expectOK<T: Decodable>(_ method: HTTPMethod, _ path: String, json: (any Encodable)? = nil,
                                as type: T.Type) async throws -> T {
        let answer = try await expectAnswer(method, path, json: json)
        do {
            return try JSONDecoder().decode(type, from: answer.body)
        } catch {
            throw ControlError(message: "\(method) \(path): the answer is not a \(type): \(error)")
        }
    }

    /// JSON bodies with sorted keys, so journals and logs read the same from run to run.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private func expectAnswer(_ method: HTTPMethod, _ path: String, json: (any Encodable)? = nil, body: Data? = nil,
                              contentType: String? = nil) async throws -> Answer {
        let answer = try await send(method, path, json: json, body: body, contentType: contentType)
        guard (200..<300).contains(answer.status) else {
            let detail = (answer.object["error"] as? [String: Any]).map { "\($0["code"] ?? ""): \($0["message"] ?? "")" }
                ?? String(decoding: answer.body.prefix(500), as: UTF8.self)
            throw ControlError(message: "\(method) \(path) → HTTP \(answer.status): \(detail)")
        }
        return answer
    }
}

extension Duration {
    /// Whole milliseconds (for AsyncHTTPClient's `TimeAmount`).
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
