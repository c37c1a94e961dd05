import Foundation
import Hummingbird

/// A server-sent-events response (`text/event-stream`): `next` is asked for a frame every `interval`
/// seconds and each new one is sent as a `data:` line; a comment keeps idle connections open. Ends when
/// the client goes away, `closing` closes (the server stops), or `next` answers `.end`.
enum EventStream {
    /// Milliseconds between checks of `closing`.
    static let slice = 100

    enum Frame: Sendable {
        case data(String)
        case unchanged
        case end
    }

    static func response(interval: Double, closing: WebClosing, next: @escaping @Sendable () async -> Frame) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        let body = ResponseBody { writer in
            var quiet = 0
            while !Task.isCancelled && !closing.isClosed {
                switch await next() {
                case .data(let text):
                    try await writer.write(ByteBuffer(string: "data: " + text + "\n\n"))
                    quiet = 0
                case .unchanged:
                    quiet += 1
                    if quiet * Int(interval * 1000) >= 15_000 {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        quiet = 0
                    }
                case .end:
                    try await writer.finish(nil)
                    return
                }
                var waited = 0
                while waited < Int(interval * 1000) && !closing.isClosed {
                    try await Task.sleep(for: .milliseconds(slice))
                    waited += slice
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
