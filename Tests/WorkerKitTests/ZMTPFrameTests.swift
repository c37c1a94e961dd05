import NIOCore
import Testing
@testable import WorkerKit

@Suite struct ZMTPFrameTests {
    /// A ROUTER's greeting and READY as libzmq 4.3 writes them.
    static let routerGreeting: [UInt8] = [0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 1]
        + Array("NULL".utf8) + Array(repeating: 0, count: 16) + [0] + Array(repeating: 0, count: 31)

    @Test func greetingIsSixtyFourBytesOfZMTP30Null() {
        let g = ZMTPWriter.greeting()
        #expect(g.count == 64)
        #expect(g[0] == 0xFF && g[9] == 0x7F && g[10] == 3 && g[11] == 0)
        #expect(Array(g[12..<16]) == Array("NULL".utf8))
        #expect(g[32] == 0)
    }

    @Test func readyCarriesSocketTypeAndIdentity() throws {
        let ready = ZMTPWriter.ready(socketType: "DEALER", identity: Array("w_1".utf8))
        #expect(ready[0] == 0x04)
        #expect(Int(ready[1]) == ready.count - 2)
        var decoder = ZMTPFrameDecoder()
        var buffer = ByteBuffer(bytes: Self.routerGreeting + ready)
        #expect(try decoder.next(&buffer) == .greeting(major: 3, minor: 1, mechanism: "NULL"))
        guard case .command(let name, let body)? = try decoder.next(&buffer) else {
            Issue.record("no command")
            return
        }
        #expect(name == "READY")
        let props = try ZMTPWriter.properties(body)
        #expect(props["socket-type"] == Array("DEALER".utf8))
        #expect(props["identity"] == Array("w_1".utf8))
    }

    @Test func framesSplitAcrossReadsAndLongFrames() throws {
        let long = [UInt8](repeating: 7, count: 300)
        let bytes = Self.routerGreeting + ZMTPWriter.message([Array("id".utf8), long])
        #expect(bytes[64 + 4] == 0x02)  // second frame: LONG, no MORE
        var decoder = ZMTPFrameDecoder()
        var buffer = ByteBuffer()
        var frames: [ZMTPFrame] = []
        for byte in bytes {  // one byte at a time
            buffer.writeInteger(byte)
            while let f = try decoder.next(&buffer) { frames.append(f) }
        }
        #expect(frames.count == 3)
        #expect(frames[1] == .message(Array("id".utf8), more: true))
        #expect(frames[2] == .message(long, more: false))
    }

    @Test func refusesNonZMTPPeersAndOldVersions() {
        var d1 = ZMTPFrameDecoder()
        var http = ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\n")
        #expect(throws: ZMTPError.self) { try d1.next(&http) }
        var d2 = ZMTPFrameDecoder()
        var v2 = ByteBuffer(bytes: [0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1])
        #expect(throws: ZMTPError.self) { try d2.next(&v2) }
        var d3 = ZMTPFrameDecoder(maxFrame: 1000)
        var huge = ByteBuffer(bytes: Self.routerGreeting + [0x02, 0, 0, 0, 0, 0, 1, 0, 0])
        _ = try? d3.next(&huge)
        #expect(throws: ZMTPError.self) { try d3.next(&huge) }
    }
}
