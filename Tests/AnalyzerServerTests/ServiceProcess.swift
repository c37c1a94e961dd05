import Foundation
import Testing

/// A real `csv-analyzer serve` child process on 127.0.0.1 and a free port, for crash tests.
/// Only this process is ever signalled, by its pid; every wait is bounded.
final class ServiceProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let logURL: URL
    var http: RawHTTP { RawHTTP(port: port) }
    var pid: Int32 { process.processIdentifier }

    /// The `csv-analyzer` binary built next to this test bundle (or `CSV_ANALYZER_BIN`).
    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["CSV_ANALYZER_BIN"] { return URL(fileURLWithPath: path) }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let url = me.deletingLastPathComponent().appendingPathComponent("csv-analyzer")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw RawHTTP.Failure(description: "csv-analyzer is not built at \(url.path): run `swift build --build-tests` (scripts/test does)")
        }
        return url
    }

    /// Starts the service and waits (at most 60 s) until `/healthz` answers.
    init(dataDirectory: URL, databaseURL: String?, arguments: [String] = [], logDirectory: URL) async throws {
        port = try Self.freePort()
        logURL = logDirectory.appendingPathComponent("csv-analyzer-\(port).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process = Process()
        process.executableURL = try Self.binary()
        var args = ["serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDirectory.path, "--log-level", "warning"]
        if let databaseURL { args += ["--database-url", databaseURL] }
        process.arguments = args + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CSV_ANALYZER_WORKERS"] = nil
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = ContinuousClock.now + .seconds(180)  // every suite starts its services at once in the parallel run
        while ContinuousClock.now < deadline {
            if !process.isRunning { throw RawHTTP.Failure(description: "csv-analyzer exited at start-up: \(self.log())") }
            if let response = try? await http.send("GET", "/healthz"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill9()
        throw RawHTTP.Failure(description: "csv-analyzer did not answer /healthz within 180 s: \(self.log())")
    }

    /// `kill -9` and wait (at most 10 s) until it is gone.
    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        waitForExit(.seconds(10))
    }

    /// SIGTERM (graceful), then SIGKILL if it is still running after `grace`.
    func stop(grace: Duration = .seconds(15)) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        waitForExit(grace)
        kill9()
    }

    private func waitForExit(_ limit: Duration) {
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
    }

    func log() -> String {
        String(decoding: (try? Data(contentsOf: logURL)) ?? Data(), as: UTF8.self).suffix(4000).description
    }

    deinit { kill9() }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
