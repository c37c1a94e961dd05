import AsyncHTTPClient
import Foundation
import FiredrillSupport
import NIOCore

/// Starts an A/B target's command and waits until it answers, or fails with the tail of its log.
enum ServiceLauncher {
    /// Starts `target.command` (if any) with its output in `logDir/LABEL.log`, then polls `target.readyURL`.
    static func start(_ target: ABTarget, logDir: URL, timeout: Duration) async throws(GateRunError) -> ChildProcess? {
        var child: ChildProcess?
        if let command = target.command {
            do {
                child = try ChildProcess.spawn(
                    executable: "/bin/sh", arguments: ["-c", "exec " + command],
                    logFile: logDir.appendingPathComponent("\(target.label).log"))
            } catch {
                throw GateRunError("\(target.label): cannot start `\(command)`: \(error)")
            }
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if let child, !child.isRunning {
                throw GateRunError("\(target.label): `\(target.command ?? "")` exited (\(child.exitStatus.map { "\($0)" } ?? "?")) before "
                                   + "\(target.readyURL) answered; last lines of its log:\n\(child.tail(lines: 15))")
            }
            if await answers(target.readyURL) { return child }
            try? await Task.sleep(for: .milliseconds(200))
        }
        await child?.terminate(grace: .seconds(2))
        throw GateRunError("\(target.label): \(target.readyURL) did not answer 2xx within \(timeout)"
                           + (child.map { "; last lines of its log:\n\($0.tail(lines: 15))" } ?? ""))
    }

    private static func answers(_ url: String) async -> Bool {
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: .milliseconds(500), read: .seconds(2))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        let response = try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
        try? await client.shutdown()
        return response.map { (200..<300).contains(Int($0.status.code)) } ?? false
    }
}

/// An A/B run that could not be carried out (a service did not start, a round failed): exit 69.
public struct GateRunError: Error, Sendable, CustomStringConvertible {
    /// What happened.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
