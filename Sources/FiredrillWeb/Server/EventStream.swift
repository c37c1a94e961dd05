import Foundation
import Hummingbird

/// A server-sent-events response (`text/event-stream`): `next` is asked for a frame every `interval`
/// seconds and each new one is sent as a `data:` line; a comment keeps idle connections open. Ends when
/// the client goes away, the server stops, or `next` answers `.end`.
enum EventStream {
    enum Frame: Sendable {
        case data(String)
        case unchanged
        case end
    }

    static func response(interval: Double, next: @escaping @Sendable () async -> Frame) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        let body = ResponseBody { writer in
            var quiet = 0
            while !Task.isCancelled {
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
                try await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
