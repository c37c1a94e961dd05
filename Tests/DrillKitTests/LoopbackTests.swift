import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import DrillKit

/// The ports a local stack hands its programs.
@Suite struct LoopbackTests {
    /// Distinct, bindable now, and outside the range the kernel gives outgoing connections (so the
    /// tests running beside a drill cannot take one before its program binds it).
    @Test func freePortsAreDistinctBindableAndBelowTheEphemeralRange() throws {
        let ports = try Loopback.freePorts(8)
        #expect(Set(ports).count == 8)
        #expect(ports.allSatisfy { $0 >= 10_000 && $0 < Loopback.ephemeralRangeStart() }, "\(ports)")
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(ports[0]).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        #expect(bound && listen(listener, 1) == 0)
        // A port something listens on is never handed out.
        for _ in 0..<20 { #expect(!(try Loopback.freePorts(8)).contains(ports[0])) }
    }
}
