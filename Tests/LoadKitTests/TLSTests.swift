import Foundation
import NIOSSL
import Testing
@testable import LoadKit

@Suite(.serialized, .timeLimit(.minutes(1))) struct TLSTests {
    static func serverContext() throws -> NIOSSLContext {
        let cert = try NIOSSLCertificate.fromPEMBytes(Array(TLSFixtures.certificatePEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(TLSFixtures.privateKeyPEM.utf8), format: .pem)
        let config = TLSConfiguration.makeServerConfiguration(certificateChain: cert.map { .certificate($0) },
                                                              privateKey: .privateKey(key))
        return try NIOSSLContext(configuration: config)
    }

    @Test func httpsWithKeepAlive() async throws {
        let server = try await TestServer.start(tls: try Self.serverContext())
        defer { Task { await server.stop() } }
        var plan = Plans.sequence(server, [Plans.get("/json"), Plans.get("/chunked")], users: 2, runTime: 30)
        plan.http.insecure = true
        // Until the users sent more than two requests each (TLS handshakes in a debug build on a loaded
        // machine can take most of a fixed half second).
        let summary = try await runUntil(plan) { _ in server.requestCount > 4 }
        #expect(summary.stats.total.failures == 0, "\(summary.stats.failures)")
        #expect(summary.stats.total.requests > 4)
        #expect(summary.entry("/chunked")?.avgContentSize == 27)
        #expect(server.connectionCount == 3)  // 2 users + the (plain TCP) preflight
    }

    @Test func certificateIsVerifiedUnlessInsecure() async throws {
        let server = try await TestServer.start(tls: try Self.serverContext())
        defer { Task { await server.stop() } }
        let plan = Plans.sequence(server, [Plans.get("/json")], runTime: 0.3)
        let summary = try await runToEnd(plan)
        let failure = try #require(summary.stats.failures.first)
        #expect(failure.error.hasPrefix("SSLError"), "\(failure.error)")
        #expect(summary.stats.total.requests == summary.stats.total.failures)
    }
}
