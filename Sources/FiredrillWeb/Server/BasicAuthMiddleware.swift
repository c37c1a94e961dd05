import Foundation
import Hummingbird

/// HTTP basic authentication for every route (`--web-auth user:pass`, as Locust's `--web-login` family).
struct BasicAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let expected: String

    init(user: String, password: String) {
        expected = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let given = request.headers[.authorization], Self.constantTimeEqual(given, expected) {
            return try await next(request, context)
        }
        var response = WebError(.unauthorized, code: "unauthorized", message: "log in with the --web-auth user and password")
            .response(host: nil)
        response.headers[.wwwAuthenticate] = "Basic realm=\"firedrill\", charset=\"UTF-8\""
        return response
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
