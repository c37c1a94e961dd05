import AnalyzerAPI
import Foundation
import Testing

/// The other `/admin` shapes: workers, restart, memory, and the error body.
@Suite struct AdminContractTests {
    static func keys(_ value: some Encodable) throws -> Set<String> {
        Set(try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value)) as? [String: Any]).keys)
    }

    static func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
    }

    @Test func workersRequestValidatesEachField() throws {
        #expect(try WorkersRequest.decode(Data(#"{"count":4}"#.utf8)) == WorkersRequest(count: 4))
        #expect(try Self.keys(WorkersRequest(count: 2, maxRequests: 10, maxRequestsJitter: 1)) == ["count", "max_requests", "max_requests_jitter"])
        for (body, field) in [(#"{"count":0}"#, "count"), (#"{"max_requests":-1}"#, "max_requests"),
                              (#"{"count":1,"max_requests_jitter":"x"}"#, "max_requests_jitter"), (#"{"workers":2}"#, "workers"),
                              ("{}", "count")] {
            let error = try #require(throws: RequestBodyError.self) { try WorkersRequest.decode(Data(body.utf8)) }
            #expect(error.field == field)
            #expect(error.message.contains(field))
        }
    }

    /// Issue 18: `{"count": true}` answered 200 and shrank the pool to one worker.
    @Test func workersRequestIsStrictAboutTypes() throws {
        for (body, field) in [(#"{"count":true}"#, "count"), (#"{"count":false}"#, "count"), (#"{"count":2.5}"#, "count"),
                              (#"{"count":"2"}"#, "count"), (#"{"max_requests":true}"#, "max_requests"),
                              (#"{"count":2,"max_requests_jitter":true}"#, "max_requests_jitter"),
                              (#"{"count":1e30}"#, "count")] {
            let error = try #require(throws: RequestBodyError.self) { try WorkersRequest.decode(Data(body.utf8)) }
            #expect(error.field == field, "\(body)")
            #expect(error.message.contains("integer"), "\(body)")
        }
        #expect(try WorkersRequest.decode(Data(#"{"count":2,"max_requests":0}"#.utf8)) == WorkersRequest(count: 2, maxRequests: 0))
    }

    @Test func restartRequestNamesItsField() throws {
        #expect(try RestartRequest.decode(Data(#"{"features_impl":"patched"}"#.utf8)) == RestartRequest(featuresImpl: .patched))
        #expect(try RestartRequest.decode(Data()) == RestartRequest())
        #expect(try Self.keys(RestartRequest(featuresImpl: .legacy)) == ["features_impl"])
        let error = try #require(throws: RequestBodyError.self) { try RestartRequest.decode(Data(#"{"features_impl":"fast"}"#.utf8)) }
        #expect(error.field == "features_impl")
    }

    @Test func reportsKeepTheirShapes() throws {
        let worker = WorkersReport.Worker(slot: 0, pid: 42, state: "ready", generation: 3, startedAt: 1.5, residentBytes: 1024)
        let report = WorkersReport(busy: false, desired: 2, alive: 1, featuresImpl: "patched", maxRequests: 0, restarts: ["oom": 1], workers: [worker])
        #expect(try Self.roundTrip(report) == report)
        #expect(try Self.keys(report) == ["busy", "desired", "alive", "features_impl", "max_requests", "restarts", "workers"])
        #expect(try Self.keys(worker) == ["slot", "pid", "state", "generation", "started_at", "resident_bytes"])
        let memory = MemoryReport(workers: [WorkerMemory(
            worker: 0, pid: 42, residentBytes: 10, shareBytes: 20, featuresImpl: "legacy", components: ["models": 1])])
        #expect(try Self.roundTrip(memory) == memory)
        #expect(try Self.keys(memory.workers[0]) == ["worker", "pid", "resident_bytes", "share_bytes", "features_impl", "components"])
        #expect(try Self.keys(FaultList(faults: [])) == ["faults"])
    }

    @Test func errorBodyIsNested() throws {
        let data = try JSONEncoder().encode(ErrorBody(code: "fault_not_found", message: "no fault with id 'x'"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: String]])
        #expect(object == ["error": ["code": "fault_not_found", "message": "no fault with id 'x'"]])
        #expect(try Self.roundTrip(ErrorBody(code: "a", message: "b")) == ErrorBody(code: "a", message: "b"))
    }
}
