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
            let fault = try await client.set(["type": .string("latency"), "latency_ms": .number(5), "ttl": .string("30s")])
            #expect(fault["type"] == .string("latency"))
            let id = try #require(fault["id"]?.description)
            #expect(try await client.list().map { $0["id"]?.description } == [id])
            _ = try await client.set(["type": .string("errors"), "probability": .number(0.5)])
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
                _ = try await FaultClient(target: url, token: "t0ken").set(["type": .string("meteor")])
                Issue.record("an unknown fault type must be refused")
            } catch let error as ControlError {
                #expect(error.message.contains("meteor"))
                #expect(error.message.contains("422"))
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
