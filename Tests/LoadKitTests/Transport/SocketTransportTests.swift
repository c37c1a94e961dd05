#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import LoadKit

/// The socket transport (`--transport sockets`, the default for plain http) against local servers that
/// misbehave: large bodies, closes, silence, refusal, a full backlog; no descriptor outlives its run.
@Suite(.serialized, .timeLimit(.minutes(1))) struct SocketTransportTests {
    func options(_ transport: Transport, preflight: Bool = true) -> RunOptions {
        var o = RunOptions(preflight: preflight, tickInterval: 0.25)
        o.transport = transport
        return o
    }

    @Test func autoPicksSocketsForHTTPAndNIOForHTTPS() throws {
        let http = [Origin(tls: false, host: "127.0.0.1", port: 80)]
        let https = http + [Origin(tls: true, host: "example.com", port: 443)]
        #expect(try Transport.auto.resolved(for: http) == .sockets)
        #expect(try Transport.auto.resolved(for: https) == .nio)
        #expect(try Transport.nio.resolved(for: http) == .nio)
        #expect(throws: PlanError.self) { try Transport.sockets.resolved(for: https) }
        let plan = try LoadPlan.single(url: "https://127.0.0.1:1/", load: .closed(users: 1, spawnRate: 1, runTime: 1))
        #expect(try LoadRun(plan: plan).transport == .nio)
        let error = #expect(throws: PlanError.self) { try LoadRun(plan: plan, options: options(.sockets)) }
        #expect(error?.message.contains("--transport nio") == true)
    }

    @Test func aRedirectToHTTPSOnSocketsFailsNamingTheNIOTransport() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let plan = Plans.sequence(server, [Plans.get("/redirect-https")], runTime: 0.3)
        let summary = try await runToEnd(plan, options: options(.auto))
        let messages = Set(summary.stats.failures.map(\.error))
        #expect(messages == ["UnsupportedTransport: https://127.0.0.1:\(server.port) needs TLS, which the socket transport does not speak (run with --transport nio)"])
        #expect(summary.stats.total.requests > 1 && summary.stats.total.failures == summary.stats.total.requests)
    }

    /// A redirect to a host the plan did not name is resolved off the loop (getaddrinfo blocks), then
    /// followed as NIO follows it.
    @Test func aRedirectToAnotherHostNameIsResolvedAndFollowed() async throws {
        var outcomes: [Transport: Set<String>] = [:]
        for transport in [Transport.sockets, .nio] {
            let server = try await TestServer.start()
            defer { Task { await server.stop() } }
            let plan = Plans.sequence(server, [Plans.get("/redirect-localhost")], runTime: 0.3)
            let summary = try await runToEnd(plan, options: options(transport))
            #expect(summary.stats.total.requests > 0)
            // Where localhost is 127.0.0.1 both succeed; where it is ::1 first both fail the same way.
            outcomes[transport] = Set(summary.stats.failures.map { $0.error.replacingOccurrences(of: "\(server.port)", with: "P") })
            if summary.stats.failures.isEmpty { #expect(server.requests.contains { $0.target == "/json" }) }
        }
        #expect(outcomes[.sockets] == outcomes[.nio], "\(outcomes)")
    }

    @Test func aBodyLargerThanTheSendBufferGoesOutWhole() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let body = String(repeating: "0123456789abcdef", count: 512 * 1024)  // 8 MiB: more than one write
        var post = RequestSpec(name: "big", method: "POST", path: Template(literal: "/echo"),
                               body: .text(Template(literal: body), contentType: "text/plain"))
        post.checks.bodyContains = ["0123456789abcdef0123"]
        let plan = Plans.sequence(server, [post], runTime: 0.5, stopTimeout: 10, timeout: 20)
        let summary = try await runToEnd(plan, options: options(.sockets))
        let entry = try #require(summary.entry("big"))
        #expect(entry.requests >= 1 && entry.failures == 0, "\(summary.stats.failures)")
        #expect(server.requests.allSatisfy { $0.body.utf8.count == body.utf8.count })
        #expect(entry.totalContentBytes == entry.requests * body.utf8.count)
    }

    @Test(arguments: [Transport.sockets, .nio])
    func serverClosesAreReportedAsWithNIO(transport: Transport) async throws {
        for (path, failure) in [("/close", nil), ("/eof", FailureCause.remoteDisconnected), ("/reset", .connectionReset)] {
            let server = try await TestServer.start()
            defer { Task { await server.stop() } }
            let plan = Plans.sequence(server, [Plans.get(path)], runTime: 0.3)
            let summary = try await runToEnd(plan, options: options(transport))
            let entry = try #require(summary.entry(path))
            #expect(entry.requests > 1, "\(path)")
            #expect(summary.stats.failures.map(\.error) == (failure.map { [$0.message] } ?? []), "\(path)")
            // Every request needed a new connection (one more may have opened just before the stop).
            #expect((0...1).contains(server.connectionCount - server.requestCount), "\(path)")
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try await TestServer.start(silent: true)
        defer { Task { await server.stop() } }
        let plan = Plans.sequence(server, [Plans.get("/")], runTime: 1, stopTimeout: 0.1, timeout: 0.3)
        let summary = try await runToEnd(plan, options: options(.sockets))
        let messages = Set(summary.stats.failures.map(\.error))
        #expect(messages.contains(FailureCause.readTimeout(0.3).message), "\(messages)")
        #expect(summary.stats.total.failures == summary.stats.total.requests)
    }

    @Test func aRefusedConnectFailsEveryRequest() async throws {
        let port = try Self.unusedPort()
        var plan = try LoadPlan.single(url: "http://127.0.0.1:\(port)/", load: .closed(users: 2, spawnRate: 100, runTime: 0.3))
        plan.stopTimeout = 1
        let summary = try await runToEnd(plan, options: options(.sockets, preflight: false))
        #expect(summary.stats.total.requests > 2)
        #expect(summary.stats.failures.map(\.error) == [FailureCause.connectionRefused.message])
    }

    @Test func aConnectToAFullBacklogTimesOut() async throws {
        // A listener that never accepts, its backlog filled: further SYNs are dropped, connects hang.
        let listener = try Self.listen(backlog: 0)
        defer { Glibc.close(listener.fd) }
        var fillers: [Int32] = []
        defer { for fd in fillers { Glibc.close(fd) } }
        for _ in 0..<4 { fillers.append(Self.connectNonBlocking(port: listener.port)) }
        try await Task.sleep(for: .milliseconds(100))
        var plan = try LoadPlan.single(url: "http://127.0.0.1:\(listener.port)/", load: .closed(users: 1, spawnRate: 100, runTime: 1))
        plan.http.connectTimeout = 0.3
        plan.http.timeout = 10
        plan.stopTimeout = 0.1
        let summary = try await runToEnd(plan, options: options(.sockets, preflight: false))
        let messages = summary.stats.failures.map(\.error)
        #expect(messages.contains(FailureCause.connectTimeout(0.3).message), "\(messages)")
        #expect(Set(messages).isSubset(of: [FailureCause.connectTimeout(0.3).message, FailureCause.stopTimeout(0.1).message]))
    }

    @Test func noDescriptorOutlivesTheRun() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let plan = Plans.sequence(server, [Plans.get("/"), Plans.get("/close"), Plans.get("/eof")], users: 20, runTime: 0.6)
        let run = try LoadRun(plan: plan, options: options(.sockets))
        try await run.start()
        #expect(await waitUntil { Self.clientSockets(to: server.port) > 0 })
        let summary = await run.wait()
        #expect(summary.stats.total.requests > 20)
        #expect(server.connectionCount > 20)
        // Closed at the stop: the users' sockets (the run's loops close whatever is left when they shut down).
        #expect(await waitUntil(timeout: 5) { Self.clientSockets(to: server.port) == 0 }, "\(Self.clientSockets(to: server.port)) left")
    }

    @Test func nioAndSocketsCountTheSameAgainstACountingServer() async throws {
        var counts: [Transport: [String: Int]] = [:]
        for transport in [Transport.sockets, .nio] {
            let server = try await TestServer.start()
            defer { Task { await server.stop() } }
            let post = RequestSpec(name: "echo", method: "POST", path: Template(literal: "/echo"),
                                   body: .text(Template(literal: "hello"), contentType: "text/plain"))
            var plan = Plans.sequence(server, [Plans.get("/"), post, Plans.get("/redirect"), Plans.get("/status/503")], stopTimeout: 3)
            plan.load = .constantArrival(rate: 100, duration: 1, preAllocatedUsers: 10, maxUsers: 50)
            let summary = try await runToEnd(plan, options: options(transport))
            var seen = Dictionary(summary.stats.entries.map { ($0.name, $0.requests) }, uniquingKeysWith: +)
            seen["failures"] = summary.stats.total.failures
            seen["server"] = server.requestCount
            seen["server /json"] = server.requests.filter { $0.target == "/json" }.count
            seen["dropped"] = summary.stats.arrival?.dropped ?? -1
            counts[transport] = seen
        }
        // Each transport counts exactly what its server saw. Whether the last iteration's later steps ran
        // before the stop depends on the machine, so the two runs are compared by these identities,
        // not by equal totals.
        for (transport, c) in counts {
            let n = { (key: String) in c[key] ?? 0 }
            #expect(n("/") + n("dropped") == 100, "\(transport): \(c)")
            #expect(n("server") == n("/") + n("echo") + n("/redirect") + n("server /json") + n("/status/503"), "\(transport): \(c)")
            #expect(n("server /json") == n("/redirect") && n("failures") == n("/status/503"), "\(transport): \(c)")
            #expect(n("/") >= n("echo") && n("echo") >= n("/redirect") && n("/redirect") >= n("/status/503"), "\(transport): \(c)")
        }
    }

    // MARK: Helpers

    /// Sockets of this process connected to 127.0.0.1:`port` (client side): every descriptor in
    /// /proc/self/fd whose peer is that port and whose own port is not.
    static func clientSockets(to port: Int) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { Int32($0) }.filter { fd in
            Self.port(of: fd, peer: true) == port && Self.port(of: fd, peer: false) != port
        }.count
    }

    static func port(of fd: Int32, peer: Bool) -> Int? {
        var addr = sockaddr_in()
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { peer ? getpeername(fd, $0, &size) : getsockname(fd, $0, &size) }
        }
        guard rc == 0, addr.sin_family == sa_family_t(AF_INET) else { return nil }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func listen(backlog: Int32) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }
        try #require(bound == 0 && Glibc.listen(fd, backlog) == 0)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) } }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    static func unusedPort() throws -> Int {
        let l = try listen(backlog: 1)
        Glibc.close(l.fd)
        return l.port
    }

    static func connectNonBlocking(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return fd
    }
}
#endif
