import AnalyzerAPI
import Foundation
import Testing

/// The fault spec as the service and the harness share it: JSON shape, validation, TTL grammar.
@Suite struct FaultSpecTests {
    static func object(_ value: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value)) as? [String: Any])
    }

    static func body(_ object: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    @Test func roundTripsWithSnakeCaseKeysAndOmitsUnsetFields() throws {
        let spec = FaultSpec(
            type: .latency, probability: 0.5, route: "/api/models/{id}/predict", latencyMs: 300, jitterMs: 50, status: nil,
            burnMs: nil, model: "m1", ttl: "90s")
        let json = try Self.object(spec)
        #expect(Set(json.keys) == ["type", "probability", "route", "latency_ms", "jitter_ms", "model", "ttl"])
        #expect(json["type"] as? String == "latency")
        #expect(try FaultSpec.decode(try JSONEncoder().encode(spec)) == spec)
        #expect(try Self.object(FaultSpec(type: .errors)).keys.sorted() == ["type"])
    }

    @Test func everyFaultTypeKeepsItsWireName() throws {
        #expect(FaultType.allCases.map(\.rawValue) == ["feature_leak", "latency", "errors", "cpu_burn", "worker_crash", "model_degrade"])
        for type in FaultType.allCases {
            #expect(try FaultSpec.decode(try Self.body(["type": type.rawValue, "latency_ms": 1, "burn_ms": 1])).type == type)
        }
    }

    @Test func makeFaultFillsDefaults() throws {
        let fault = try FaultSpec(type: .errors).makeFault(id: "f1", now: 1000)
        #expect(fault == ActiveFault(id: "f1", type: .errors, probability: 1, status: 500, createdAt: 1000, expiresAt: 1300))
        let json = try Self.object(fault)
        #expect(Set(json.keys) == ["id", "type", "probability", "status", "created_at", "expires_at"])
        #expect(try JSONDecoder().decode(ActiveFault.self, from: try JSONEncoder().encode(fault)) == fault)
    }

    @Test(arguments: [("1h30m", 5400.0), ("90s", 90), ("500ms", 0.5), ("5m", 300), ("1.5s", 1.5), ("45", 45), ("1d", 86400)])
    func ttlAcceptsTheDurationGrammar(text: String, seconds: Double) throws {
        #expect(try FaultSpec(type: .errors, ttl: text).ttlSeconds() == seconds)
        let fault = try FaultSpec(type: .errors, ttl: text).makeFault(id: "f", now: 0)
        #expect(fault.expiresAt == seconds)
    }

    /// Each refusal names its field, both as `field` and in the message.
    @Test(arguments: [
        (#"{"type":"errors","probability":2}"#, "probability", RequestBodyError.Kind.invalidField),
        (#"{"type":"errors","ttl":"forever"}"#, "ttl", .invalidField),
        (#"{"type":"errors","ttl":"25h"}"#, "ttl", .invalidField),
        (#"{"type":"errors","ttl":"0s"}"#, "ttl", .invalidField),
        (#"{"type":"latency","latency_ms":70000}"#, "latency_ms", .invalidField),
        (#"{"type":"latency","jitter_ms":-1}"#, "jitter_ms", .invalidField),
        (#"{"type":"cpu_burn","burn_ms":20000}"#, "burn_ms", .invalidField),
        (#"{"type":"errors","status":404}"#, "status", .invalidField),
        (#"{"type":"errors","route":"api"}"#, "route", .invalidField),
        (#"{"type":"latency"}"#, "latency_ms", .missingField),
        (#"{"type":"cpu_burn"}"#, "burn_ms", .missingField),
        (#"{"type":"meteor"}"#, "type", .invalidField),
        (#"{"probability":1}"#, "type", .missingField),
        (#"{"type":"errors","probability":"high"}"#, "probability", .invalidField),
        (#"{"type":"errors","colour":"red"}"#, "colour", .unknownField),
    ])
    func everyRefusalNamesItsField(body: String, field: String, kind: RequestBodyError.Kind) throws {
        let error = try #require(throws: RequestBodyError.self) { try FaultSpec.decode(Data(body.utf8)).validate() }
        #expect(error.field == field)
        #expect(error.kind == kind)
        #expect(error.message.contains(field))
    }

    /// An unknown `type` is refused while decoding, by the same words `firedrill fault set` uses.
    @Test func anUnknownTypeListsTheKnownOnes() throws {
        let error = try #require(throws: RequestBodyError.self) { try FaultSpec.decode(Data(#"{"type":"meteor","ttl":"1m"}"#.utf8)) }
        #expect(error.message == "field 'type': unknown fault 'meteor'; expected one of: "
                    + "feature_leak, latency, errors, cpu_burn, worker_crash, model_degrade")
        #expect(FaultType.unknownMessage("meteor") == String(error.message.dropFirst("field 'type': ".count)))
        let wrongType = try #require(throws: RequestBodyError.self) { try FaultSpec.decode(Data(#"{"type":7}"#.utf8)) }
        #expect(wrongType.field == "type")
        #expect(wrongType.kind == .invalidField)
    }

    @Test func aBodyThatIsNotAnObjectIsInvalidJSON() throws {
        let error = try #require(throws: RequestBodyError.self) { try FaultSpec.decode(Data("[1]".utf8)) }
        #expect(error.kind == .invalidJSON)
        #expect(error.code == "invalid_json")
    }
}
