import Foundation
import Testing
@testable import LoadKit

/// A header whose value comes from a variable filled at run time (`Bearer ${token}`, the token
/// extracted from a response) was sent as it was: a token holding "\r\nX-Injected: 1" added a header
/// to the request. Such a request is not sent; it counts as a failure of that request.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HeaderInjectionTests {
    @Test(arguments: [#"\r\nX-Injected: 1"#, #"\nX-Injected: 1"#, #"\0X-Injected: 1"#])
    func aHeaderFilledWithALineBreakIsNotSentAndCountsAsAFailure(tail: String) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let dir = try ScenarioDir()
        // /echo answers the JSON body it was sent: the token comes back from the server with the break in it.
        var plan = try dir.parse("""
            host: \(server.url)
            stop_timeout: 2s
            users:
              - wait: {constant: 0.05}
                tasks:
                  - requests:
                      - post: /echo
                        name: login
                        json: {token: "abc\(tail)"}
                        extract: {token: $.token}
                      - get: /json
                        name: auth
                        headers: {Authorization: "Bearer ${token}"}
            """)
        plan.load = .closed(users: 1, spawnRate: 1, runTime: 30)
        // The second login means the first iteration's `auth` request has had its turn.
        let summary = try await runUntil(plan) { _ in server.requests.filter { $0.target == "/echo" }.count >= 2 }
        let requests = server.requests
        #expect(!requests.isEmpty)
        #expect(requests.allSatisfy { $0.header("X-Injected") == nil }, "\(requests.map(\.headers))")
        #expect(requests.allSatisfy { $0.target == "/echo" }, "\(requests.map(\.target))")
        let auth = try #require(summary.entry("auth"))
        #expect(auth.requests >= 1 && auth.failures == auth.requests, "\(auth)")
        let failures = summary.failures("auth")
        #expect(failures.count == 1)
        #expect(failures.first?.error == "InvalidHeader: header Authorization contains a line break or NUL; the request was not sent",
                "\(failures)")
        #expect(summary.stats.exceptions.isEmpty, "\(summary.stats.exceptions)")
        #expect(summary.entry("login")?.failures == 0)
    }
}
