import Hummingbird
import NIOCore
import NIOHTTPTypes

extension APIError {
    /// Answers on `context`'s connection itself, for an error found below the routes (a body not
    /// received in time, a request the HTTP parser refuses): the house JSON body with
    /// `Connection: close`, then the connection is closed once the answer is written
    /// (RFC 9110 §15.5.9), or after 5 s if the client does not read it.
    func answerAndClose(_ context: ChannelHandlerContext) {
        let body = (try? body()) ?? ByteBuffer()
        var headers = responseHeaders
        headers[.connection] = "close"
        headers[.contentLength] = String(body.readableBytes)
        context.write(NIOAny(HTTPResponsePart.head(HTTPResponse(status: status, headerFields: headers))), promise: nil)
        context.write(NIOAny(HTTPResponsePart.body(body)), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(5)) { context.close(promise: nil) }
    }
}
