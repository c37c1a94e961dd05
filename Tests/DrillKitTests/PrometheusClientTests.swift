@testable import DrillKit
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `PrometheusClient` and `AlertmanagerClient` against a stub serving canned JSON on 127.0.0.1.
@Suite struct PrometheusClientTests {
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func withStub(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("/api/v1/query") { request, _ -> Response in
            switch request.uri.queryParameters.get("query") ?? "" {
            case #"csv_analyzer_resident_memory_bytes / process_memory_limit_bytes{job="csv-analyzer"}"#:
                return PrometheusClientTests.json("""
                    {"status":"success","data":{"resultType":"vector","result":[
                      {"metric":{"instance":"a:8000","job":"csv-analyzer"},"value":[1764205200.5,"0.95"]},
                      {"metric":{"instance":"b:8000"},"value":[1764205200.5,"NaN"]}]}}
                    """)
            case "scalar(1 + 1)":
                return PrometheusClientTests.json(#"{"status":"success","data":{"resultType":"scalar","result":[1764205200,"2"]}}"#)
            case "up[1m]":
                return PrometheusClientTests.json(#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#)
            default:
                return PrometheusClientTests.json(#"{"status":"error","errorType":"bad_data","error":"parse error at char 1"}"#, status: .badRequest)
            }
        }
        router.get("/api/v1/alerts") { _, _ in
            PrometheusClientTests.json("""
                {"status":"success","data":{"alerts":[
                  {"labels":{"alertname":"MemoryNearLimit","severity":"major"},"annotations":{},"state":"firing",
                   "activeAt":"2026-11-27T01:58:02.123456789Z","value":"9.5e-01"},
                  {"labels":{"alertname":"HighErrorRate"},"annotations":{},"state":"pending","activeAt":"2026-11-27T01:59:00+01:00","value":"1"}]}}
                """)
        }
        router.get("/api/v2/alerts") { _, _ in
            PrometheusClientTests.json("""
                [{"labels":{"alertname":"HighErrorRate","severity":"critical"},"annotations":{},"startsAt":"2026-11-27T02:00:00.5Z",
                  "endsAt":"2026-11-27T02:05:00Z","fingerprint":"abc123","receivers":[{"name":"webhook"}],
                  "status":{"state":"active","silencedBy":[],"inhibitedBy":[]},"updatedAt":"2026-11-27T02:00:01Z"},
                 {"labels":{"alertname":"MemoryNearLimit"},"annotations":{},"startsAt":"2026-11-27T02:00:00Z","endsAt":"2026-11-27T02:05:00Z",
                  "fingerprint":"def456","receivers":[],"status":{"state":"suppressed","silencedBy":[],"inhibitedBy":["abc123"]}}]
                """)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    @Test func instantQueries() async throws {
        try await Self.withStub { url in
            let prometheus = PrometheusClient(baseURL: url + "/")
            let samples = try await prometheus.query(#"csv_analyzer_resident_memory_bytes / process_memory_limit_bytes{job="csv-analyzer"}"#)
            #expect(samples.count == 2)
            #expect(samples[0] == Sample(labels: ["instance": "a:8000", "job": "csv-analyzer"], timestamp: 1764205200.5, value: 0.95))
            #expect(samples[1].value.isNaN)
            #expect(try await prometheus.query("scalar(1 + 1)") == [Sample(labels: [:], timestamp: 1764205200, value: 2)])
            do {
                _ = try await prometheus.query("up[1m]")
                Issue.record("a range vector must be refused")
            } catch let error as ControlError {
                #expect(error.message.contains("matrix"))
            }
            do {
                _ = try await prometheus.query("sum(")
                Issue.record("a bad query must fail")
            } catch let error as ControlError {
                #expect(error.message.contains("400"))
                #expect(error.message.contains("parse error"))
            }
        }
    }

    @Test func prometheusAlerts() async throws {
        try await Self.withStub { url in
            let alerts = try await PrometheusClient(baseURL: url).alerts()
            #expect(alerts.map(\.name) == ["MemoryNearLimit", "HighErrorRate"])
            #expect(alerts.map(\.state) == ["firing", "pending"])
            #expect(alerts[0].labels["severity"] == "major")
            let activeAt = try #require(alerts[0].activeAt)
            #expect(abs(activeAt.timeIntervalSince1970 - 1_795_744_682.123456789) < 0.001)
            #expect(alerts[1].activeAt?.timeIntervalSince1970 == 1_795_741_140)
        }
    }

    @Test func alertmanagerAlerts() async throws {
        try await Self.withStub { url in
            let alerts = try await AlertmanagerClient(baseURL: url).alerts()
            #expect(alerts.map(\.name) == ["HighErrorRate", "MemoryNearLimit"])
            #expect(alerts.map(\.state) == ["active", "suppressed"])
            #expect(alerts[0].fingerprint == "abc123")
            #expect(alerts[0].labels == ["alertname": "HighErrorRate", "severity": "critical"])
            #expect(alerts[0].startsAt?.timeIntervalSince1970 == 1_795_744_800.5)
        }
    }

    @Test func unreachable() async throws {
        await #expect(throws: ControlError.self) {
            try await AlertmanagerClient(baseURL: "http://127.0.0.1:1", timeout: .seconds(2)).alerts()
        }
    }
}
