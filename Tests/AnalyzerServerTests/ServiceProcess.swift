import Foundation
import Testing

/// A real `csv-analyzer serve` child process on 127.0.0.1 and a port of its own (`--port 0`, read
/// from its log: a port found free and handed over can be taken in between by another test), for
/// crash tests.
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

    /// Starts the service and waits (at most 180 s) until `/healthz` answers.
    init(dataDirectory: URL, databaseURL: String?, arguments: [String] = [], logDirectory: URL) async throws {
        logURL = logDirectory.appendingPathComponent("csv-analyzer-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process = Process()
        process.executableURL = try Self.binary()
        // Info: the line that names the port.
        var args = ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDirectory.path, "--log-level", "info"]
        if let databaseURL { args += ["--database-url", databaseURL] }
        process.arguments = args + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CSV_ANALYZER_WORKERS"] = nil
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = ContinuousClock.now + .seconds(180)  // every suite starts its services at once in the parallel run
        var listening: Int?
        while ContinuousClock.now < deadline {
            if !process.isRunning { throw RawHTTP.Failure(description: "csv-analyzer exited at start-up: \(Self.log(logURL))") }
            listening = listening ?? PoolProcess.listeningPort(in: String(decoding: (try? Data(contentsOf: logURL)) ?? Data(), as: UTF8.self))
            if let listening, let response = try? await RawHTTP(port: listening).send("GET", "/healthz"), response.status == 200 {
                port = listening
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        port = 0
        kill9()
        throw RawHTTP.Failure(description: "csv-analyzer did not answer /healthz within 180 s: \(Self.log(logURL))")
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

    func log() -> String { Self.log(logURL) }

    /// The end of the log at `url`.
    static func log(_ url: URL) -> String {
        String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self).suffix(4000).description
    }

    deinit { kill9() }
}
