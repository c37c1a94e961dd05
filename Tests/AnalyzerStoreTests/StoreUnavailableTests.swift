import AnalyzerStore
import Foundation
import Testing

/// An unreachable database is reported as ``StoreUnavailableError``, fast, naming where it looked.
@Suite(.timeLimit(.minutes(1))) struct StoreUnavailableTests {
    @Test func postgresNobodyListening() async throws {
        // A port nobody listens on: bind one, note it, close it.
        let port = try FreePort.take()
        // Refused (nobody listens) rather than retried: the error comes back, within the suite's time limit.
        await #expect {
            _ = try await StoreLocation(parsing: "postgres://u:secret@127.0.0.1:\(port)/db?sslmode=disable&connect_timeout=2").open()
        } throws: { error in
            guard let error = error as? StoreUnavailableError else { return false }
            return error.backend == .postgresql && error.reason.contains("127.0.0.1:\(port)") && !error.reason.contains("secret")
        }
    }

    @Test func sqliteInAMissingDirectory() async throws {
        await #expect(throws: StoreUnavailableError.self) {
            _ = try await SQLiteStore.open(path: "/nonexistent-\(UUID().uuidString)/x.sqlite")
        }
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
enum FreePort {
    static func take() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
