import Foundation
import Hummingbird

/// The few response shapes the web UI sends: JSON, CSV and HTML downloads, pages.
enum WebResponses {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        e.dateEncodingStrategy = .secondsSince1970
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return bytes(data, type: "application/json", status: status)
    }

    static func text(_ text: String, type: String, status: HTTPResponse.Status = .ok, download: String? = nil) -> Response {
        var response = bytes(Data(text.utf8), type: type, status: status)
        if let download { response.headers[.contentDisposition] = "attachment;filename=\(download)" }
        return response
    }

    /// A CSV download named like Locust's (`requests_1700000000.123.csv`).
    static func csv(_ content: String, prefix: String) -> Response {
        text(content, type: "text/csv", download: "\(prefix)_\(String(format: "%.3f", Date().timeIntervalSince1970)).csv")
    }

    static func bytes(_ data: Data, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
