import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client on 127.0.0.1 for the tests: what a real client sees (bytes, EOF, ECONNRESET),
/// with a receive timeout so nothing hangs.
final class TestSocket: @unchecked Sendable {
    enum Ending: Equatable { case eof, reset, timeout, other(Int32) }

    let fd: Int32

    init(port: Int, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { let e = errno; close(fd); throw POSIXError(POSIXErrorCode(rawValue: e) ?? .EIO) }
        setTimeout(timeout)
    }

    deinit { close(fd) }

    func setTimeout(_ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads up to `max` bytes: the bytes, or how the stream ended.
    func receive(max: Int = 65536) -> Result<[UInt8], Failure> {
        var buffer = [UInt8](repeating: 0, count: max)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, 0) }
        if n > 0 { return .success(Array(buffer[..<n])) }
        if n == 0 { return .failure(Failure(ending: .eof)) }
        switch errno {
        case ECONNRESET: return .failure(Failure(ending: .reset))
        case EAGAIN, EWOULDBLOCK: return .failure(Failure(ending: .timeout))
        case let e: return .failure(Failure(ending: .other(e)))
        }
    }

    struct Failure: Error { let ending: Ending }

    /// Reads exactly `count` bytes, or fewer if the stream ends first.
    func receive(exactly count: Int) -> ([UInt8], Ending?) {
        var out: [UInt8] = []
        while out.count < count {
            switch receive(max: count - out.count) {
            case .success(let bytes): out += bytes
            case .failure(let f): return (out, f.ending)
            }
        }
        return (out, nil)
    }

    /// Reads until the stream ends: everything read and how it ended.
    func receiveAll() -> ([UInt8], Ending) {
        var out: [UInt8] = []
        while true {
            switch receive() {
            case .success(let bytes): out += bytes
            case .failure(let f): return (out, f.ending)
            }
        }
    }

    /// Sends an HTTP/1.1 GET on this (keep-alive) connection and reads the response.
    func get(_ path: String, method: String = "GET") -> (status: Int, body: String, ending: Ending?) {
        send("\(method) \(path) HTTP/1.1\r\nHost: test\r\n\r\n")
        var data: [UInt8] = []
        while true {
            if let end = Self.headEnd(data) {
                let head = String(decoding: data[..<end], as: UTF8.self)
                let status = Int(head.split(separator: " ")[1]) ?? 0
                let length = head.lowercased().split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                var body = Array(data[end...])
                if body.count < length {
                    let (rest, ending) = receive(exactly: length - body.count)
                    body += rest
                    if let ending { return (status, String(decoding: body, as: UTF8.self), ending) }
                }
                return (status, String(decoding: body, as: UTF8.self), nil)
            }
            switch receive() {
            case .success(let bytes): data += bytes
            case .failure(let f): return (0, String(decoding: data, as: UTF8.self), f.ending)
            }
        }
    }

    static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 { return i + 4 }
        return nil
    }
}

/// A port nothing listens on right now.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// Seconds on a monotonic clock.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs blocking socket work on a thread of its own: the proxy's API answers through Swift
/// concurrency, whose few threads a blocked `recv` must not hold.
func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
