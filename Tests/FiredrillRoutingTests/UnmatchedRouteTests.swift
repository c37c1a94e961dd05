import FiredrillRouting
import Hummingbird
import HummingbirdTesting
import Testing

/// The one matcher behind csv-analyzer's and the web UI's 404/405 answers: which methods a path's
/// routes take, and what the server's `answer` is handed.
@Suite struct UnmatchedRouteTests {
    static func router() -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.get("/items") { _, _ in "list" }
        router.post("/items") { _, _ in "created" }
        router.get("/items/{id}") { _, _ in "one" }
        router.delete("/items/{id}") { _, _ in "gone" }
        router.get("/files/**") { _, _ in "file" }
        router.add(middleware: UnmatchedRouteMiddleware(routes: router.routes) { unmatched in
            var headers = HTTPFields()
            if let allow = unmatched.allow { headers[.allow] = allow }
            return Response(status: unmatched.status, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: "\(unmatched.code): \(unmatched.message)")))
        })
        return router
    }

    @Test func methodsOfAPathFollowItsRoutesParametersAndWildcards() {
        let router = Self.router()
        let middleware = UnmatchedRouteMiddleware(routes: router.routes) { _ in Response(status: .ok) }
        #expect(middleware.allowedMethods("/items") == [.get, .post])
        #expect(middleware.allowedMethods("/items/7") == [.get, .delete])
        #expect(middleware.allowedMethods("/files/a/b/c") == [.get])
        #expect(middleware.allowedMethods("/items/7/parts").isEmpty)
        #expect(middleware.allowedMethods("/nope").isEmpty)
    }

    @Test func wrongMethodUnknownPathAndHead() async throws {
        try await Application(router: Self.router()).test(.router) { client in
            try await client.execute(uri: "/items/7", method: .put) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "DELETE, GET, HEAD")
                #expect(String(buffer: response.body) == "method_not_allowed: /items/7 does not take PUT; it takes DELETE, GET, HEAD")
            }
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.allow] == nil)
                #expect(String(buffer: response.body) == "route_not_found: no route for GET /nope")
            }
            try await client.execute(uri: "/items", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/items", method: .get) { response in
                #expect(String(buffer: response.body) == "list")
            }
        }
    }
}
