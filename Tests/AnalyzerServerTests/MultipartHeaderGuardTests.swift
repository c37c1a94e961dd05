@testable import AnalyzerServer
import Testing

/// MultipartKit 4.7.1 traps on a header name byte above 0x7F; the guard refuses it first
/// (Schemathesis' crash: `--b\r\n¥ñ\x1fEà--b--`).
@Suite struct MultipartHeaderGuardTests {
    @Test func refusesNonASCIIHeaderNamesAcrossChunks() {
        var guardian = MultipartHeaderGuard(boundary: "b1c8")
        let body = Array("--b1c8\r\n".utf8) + [0xC2, 0xA5, 0xC3, 0xB1, 0x1F] + Array("E--b1c8--\r\n".utf8)
        let first = guardian.accepts(body.prefix(5))  // the delimiter split across two chunks
        let rest = guardian.accepts(body.dropFirst(5))
        #expect(first)
        #expect(!rest)
    }

    @Test func acceptsUTF8InHeaderValuesAndBodies() {
        var guardian = MultipartHeaderGuard(boundary: "xyz")
        let body = "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"é.csv\"\r\n\r\nä,ö\n1,2\r\n--xyz--\r\n"
        let accepted = guardian.accepts(Array(body.utf8))
        #expect(accepted)
    }
}
