import AnalyzerAPI
import AnalyzerServer
import DrillKit
import Foundation
import HummingbirdTesting
import Testing

/// `FaultClient` against a real csv-analyzer on a loopback port.
@Suite struct FaultClientTests {
    /// Runs `body` with the URL of a csv-analyzer on a loopback port (admin token `t0ken`).
    static func withService(configure: (inout ServerConfiguration) -> Void = { _ in },
                            _ body: @Sendable (String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drillkit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = dir
        configuration.port = 0
        configuration.adminToken = "t0ken"
        configuration.logLevel = .warning
        configure(&configuration)
        let (app, analyzer) = try await AnalyzerApplication.build(configuration)
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
        await analyzer.shutdown()
    }

    @Test func setListClear() async throws {
        try await Self.withService { url in
            let client = FaultClient(target: url, token: "t0ken")
            #expect(try await client.list().isEmpty)
            let fault = try await client.set(FaultSpec(type: .latency, latencyMs: 5, ttl: "1h30m"))
            #expect(fault.type == .latency)
            #expect(fault.expiresAt - fault.createdAt == 5400)
            let id = fault.id
            #expect(try await client.list().map(\.id) == [id])
            _ = try await client.set(FaultSpec(type: .errors, probability: 0.5))
            #expect(try await client.list().count == 2)
            try await client.clear(id: id)
            #expect(try await client.list().count == 1)
            try await client.clear()
            #expect(try await client.list().isEmpty)
        }
    }

    @Test func refusalsNameTheProblem() async throws {
        try await Self.withService { url in
            let wrong = FaultClient(target: url, token: "nope")
            await #expect(throws: ControlError.self) { try await wrong.list() }
            do {
                // Refused before it is sent, by the service's own rules, naming the field.
                _ = try await FaultClient(target: url, token: "t0ken").set(FaultSpec(type: .latency, ttl: "2d"))
                Issue.record("a TTL over 24h must be refused")
            } catch let error as ControlError {
                #expect(error.message.contains("ttl"), "\(error)")
            }
            do {
                _ = try await FaultClient(target: "http://127.0.0.1:1", token: "x", timeout: .seconds(2)).list()
                Issue.record("an unreachable target must fail")
            } catch let error as ControlError {
                #expect(error.message.contains("cannot reach"))
            }
        }
    }
}
