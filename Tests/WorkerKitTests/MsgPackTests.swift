import Testing
@testable import WorkerKit

@Suite struct MsgPackTests {
    /// Bytes written by msgpack-python 1.x (`msgpack.dumps`) for the same values.
    @Test(arguments: [
        (MsgPackValue.nil_, [0xC0] as [UInt8]),
        (.bool(true), [0xC3]),
        (.int(0), [0x00]),
        (.int(127), [0x7F]),
        (.int(128), [0xCC, 0x80]),
        (.int(65536), [0xCE, 0x00, 0x01, 0x00, 0x00]),
        (.int(-1), [0xFF]),
        (.int(-33), [0xD0, 0xDF]),
        (.int(-129), [0xD1, 0xFF, 0x7F]),
        (.int(1_764_000_000_123), [0xCF, 0x00, 0x00, 0x01, 0x9A, 0xB6, 0x97, 0xE8, 0x7B]),
        (.double(1.5), [0xCB, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0]),
        (.string("ack"), [0xA3, 0x61, 0x63, 0x6B]),
        (.array([.int(1), .string("a")]), [0x92, 0x01, 0xA1, 0x61]),
        (.object(["index": .int(0)]), [0x81, 0xA5, 0x69, 0x6E, 0x64, 0x65, 0x78, 0x00]),
        (.binary([1, 2]), [0xC4, 0x02, 0x01, 0x02]),
    ])
    func encodesAsMsgpackPython(value: MsgPackValue, bytes: [UInt8]) throws {
        #expect(MsgPackEncoder.encode(value) == bytes)
        #expect(try MsgPackDecoder.decode(bytes) == value)
    }

    @Test func longStringsArraysAndMapsUseTheWiderHeaders() throws {
        let s = String(repeating: "x", count: 300)
        let bytes = MsgPackEncoder.encode(.string(s))
        #expect(Array(bytes.prefix(3)) == [0xDA, 0x01, 0x2C])
        let big = MsgPackValue.array((0..<20).map { .int(Int64($0)) })
        #expect(MsgPackEncoder.encode(big).first == 0xDC)
        let map = MsgPackValue.map((0..<16).map { (.int(Int64($0)), .int(1)) })
        #expect(MsgPackEncoder.encode(map).first == 0xDE)
        for v in [MsgPackValue.string(s), big, map] { #expect(try MsgPackDecoder.decode(MsgPackEncoder.encode(v)) == v) }
    }

    @Test func decodesFloat32AndIntegerMapKeys() throws {
        // msgpack-python: {10: 3} and a float32 1.0
        #expect(try MsgPackDecoder.decode([0x81, 0x0A, 0x03]) == .map([(.int(10), .int(3))]))
        #expect(try MsgPackDecoder.decode([0xCA, 0x3F, 0x80, 0, 0]) == .double(1))
        #expect(try MsgPackDecoder.decode([0xD6, 0xFF, 0, 0, 0, 1]) == .ext(-1, [0, 0, 0, 1]))
    }

    @Test func refusesTruncatedExtraAndInvalidBytes() {
        #expect(throws: MsgPackError.self) { try MsgPackDecoder.decode([0xA3, 0x61]) }
        #expect(throws: MsgPackError.self) { try MsgPackDecoder.decode([0x01, 0x02]) }
        #expect(throws: MsgPackError.self) { try MsgPackDecoder.decode([0xC1]) }
        #expect(throws: MsgPackError.self) { try MsgPackDecoder.decode([0xDD, 0xFF, 0xFF, 0xFF, 0xFF]) }
        #expect(throws: MsgPackError.self) { try MsgPackDecoder.decode([0xA2, 0xC3, 0x28]) }
        #expect(throws: MsgPackError.self) { try MsgPackDecoder.decode(Array(repeating: 0x91, count: 100) + [0]) }
    }

    @Test func locustMessagesRoundTrip() throws {
        let m = LocustMessage("heartbeat", .object(["state": .string("running"), "current_cpu_usage": .double(12.5)]), nodeID: "h_1")
        #expect(try LocustMessage.decode(m.encoded()) == m)
        #expect(throws: MsgPackError.self) { try LocustMessage.decode(MsgPackEncoder.encode(.string("spawn"))) }
    }

    @Test(arguments: [(0.4, 0), (2.5, 2), (3.5, 4), (99.6, 100), (147, 150), (145, 140), (3432, 3400), (58_760, 59_000)])
    func bucketsResponseTimesAsLocust(ms: Double, bucket: Int) {
        #expect(LocustStats.bucket(ms) == bucket)
    }

    @Test func classesMapByNameElseByWeight() {
        #expect(ClassMapping(master: ["Browse": 3, "Buy": 1], scenarioClasses: ["Browse", "Buy"]).byName == ["Browse": 3, "Buy": 1])
        let shared = ClassMapping(master: ["WebsiteUser": 20], scenarioClasses: ["Browse", "Buy"])
        #expect(shared.byName == nil)
        #expect(shared.total == 20)
    }
}
