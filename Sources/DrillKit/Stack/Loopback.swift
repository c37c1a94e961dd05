import FiredrillSupport
import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free loopback ports and HTTP readiness checks for the stacks.
enum Loopback {
    /// `count` distinct TCP ports free on 127.0.0.1 right now, for programs the stacks start later.
    ///
    /// A port is free only until its program binds it. Ports are drawn at random from below the
    /// kernel's ephemeral range (`ip_local_port_range`), so the outgoing connections of everything
    /// else running (tests in parallel, the load itself) cannot take one in the meantime, as they
    /// could a port found with `bind(0)`, which comes from that range. `bind(0)` is the fallback.
    static func freePorts(_ count: Int) throws -> [Int] {
        var descriptors: [Int32] = []
        defer { descriptors.forEach { close($0) } }
        var ports: [Int] = []
        let below = max(10_001, ephemeralRangeStart())
        for _ in 0..<200 where ports.count < count {
            let candidate = Int.random(in: 10_000..<below)
            if !ports.contains(candidate), let descriptor = try bound(port: candidate) {
                descriptors.append(descriptor)
                ports.append(candidate)
            }
        }
        while ports.count < count {
            guard let descriptor = try bound(port: 0) else {
                throw ControlError(message: "cannot find a free port on 127.0.0.1: \(String(cString: strerror(errno)))")
            }
            descriptors.append(descriptor)
            ports.append(try localPort(of: descriptor))
        }
        return ports
    }

    /// The first port of the kernel's ephemeral range (32768 when it cannot be read).
    static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    }

    /// A TCP socket bound to 127.0.0.1:`port` (0: any), or nil when that port is taken.
    private static func bound(port: Int) throws -> Int32? {
        let descriptor = tcpSocket()
        guard descriptor >= 0 else { throw ControlError(message: "socket: \(String(cString: strerror(errno)))") }
        guard withLoopbackAddress(port: port, { bind(descriptor, $0, $1) == 0 }) else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    private static func tcpSocket() -> Int32 {
        #if canImport(Glibc)
        socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        socket(AF_INET, SOCK_STREAM, 0)
        #endif
    }

    /// Calls `body` with the address 127.0.0.1:`port` and its length.
    private static func withLoopbackAddress<T>(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// The local port a bound socket got.
    private static func localPort(of descriptor: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) == 0 }
        }
        guard ok else { throw ControlError(message: "getsockname: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A client that fails at once when nothing listens (the shared one retries until its deadline),
    /// so polling notices a process the moment it answers.
    private static let probeClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The HTTP status of `GET url`, or nil when nothing answers within `timeout`.
    static func status(of url: String, timeout: Duration = .seconds(2)) async -> Int? {
        do {
            let (seconds, attoseconds) = timeout.components
            let response = try await probeClient.execute(
                HTTPClientRequest(url: url), timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            _ = try? await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        } catch {
            return nil
        }
    }

    /// Waits until `GET url` answers 200, polling every 200 ms.
    /// - Throws: `ControlError` with the tail of the process' log when `process` exits first or
    ///   `timeout` passes; `CancellationError` when the task is cancelled.
    static func waitUntilOK(_ url: String, name: String, process: ChildProcess?, timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last: Int?
        while true {
            try Task.checkCancellation()
            if let process, let status = process.exitStatus {
                throw ControlError(message: "\(name) exited (\(status)) before \(url) answered"
                                   + logTail(process))
            }
            last = await status(of: url)
            if last == 200 { return }
            guard clock.now < deadline else {
                throw ControlError(message: "\(url) did not answer 200 within \(timeout) (last: \(last.map { "HTTP \($0)" } ?? "no answer"))"
                                   + (process.map(logTail) ?? ""))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Waits until a TCP connection to 127.0.0.1:`port` succeeds, polling every 200 ms.
    /// - Throws: `ControlError` with the tail of the process' log when `process` exits first or
    ///   `timeout` passes.
    static func waitUntilListening(port: Int, name: String, process: ChildProcess?, timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            try Task.checkCancellation()
            if let process, let status = process.exitStatus {
                throw ControlError(message: "\(name) exited (\(status)) before 127.0.0.1:\(port) accepted connections" + logTail(process))
            }
            if accepts(port: port) { return }
            guard clock.now < deadline else {
                throw ControlError(message: "127.0.0.1:\(port) accepted no connection within \(timeout)" + (process.map(logTail) ?? ""))
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` now.
    static func accepts(port: Int) -> Bool {
        let descriptor = tcpSocket()
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return withLoopbackAddress(port: port) { connect(descriptor, $0, $1) == 0 }
    }

    /// `; last lines of LOG:` and the tail of the process' log, for error messages.
    static func logTail(_ process: ChildProcess) -> String {
        let tail = process.tail(lines: 20)
        let log = process.logFile?.path ?? "its output"
        return tail.isEmpty ? " (\(log) is empty)" : "; last lines of \(log):\n\(tail)"
    }
}
