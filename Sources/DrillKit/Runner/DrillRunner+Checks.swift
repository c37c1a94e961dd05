import AsyncHTTPClient
import FiredrillSupport
import Foundation
import LoadKit
import NIOCore
import NIOHTTP1

/// The generic checks: `http` (any request) and `exec` (any command), each once or, with `within`,
/// repeated until it holds.
extension DrillRunner {
    /// One attempt's verdict: whether the checks held, and what was seen.
    struct Attempt {
        var held: Bool
        var detail: String
    }

    /// Runs `attempt` once, or every 0.5 s until it holds for at most `within` (incident time).
    func retrying(within: PromDuration?, _ attempt: () async throws -> Attempt) async throws -> (DrillJournal.Outcome, String) {
        let begin = Date()
        var tries = 0
        while true {
            tries += 1
            let result = try await attempt()
            let after = tries > 1 ? " (attempt \(tries), after \(Self.seconds(Date().timeIntervalSince(begin))))" : ""
            if result.held { return (.passed, result.detail + after) }
            guard let within, Date().timeIntervalSince(begin) < wallSeconds(within) else {
                return (.failed, result.detail + (within.map { "; did not hold within \(describe($0)) (\(tries) attempts)" } ?? ""))
            }
            guard await pause(0.5) else { return (.failed, "interrupted: " + result.detail) }
        }
    }

    // MARK: http

    func http(_ step: HTTPStep) async throws -> (DrillJournal.Outcome, String) {
        try await retrying(within: step.within) { try await httpAttempt(step) }
    }

    func httpAttempt(_ step: HTTPStep) async throws -> Attempt {
        var url = try render(step.url)
        if url.hasPrefix("/") { url = stack.serviceURL + url }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ControlError(message: "\(step.url) is '\(url)', not an http:// or https:// URL")
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: step.method)
        for (name, value) in step.headers.sorted(by: { $0.key < $1.key }) { request.headers.add(name: name, value: try render(value)) }
        switch step.body {
        case .text(let text)?:
            if !request.headers.contains(name: "Content-Type") { request.headers.add(name: "Content-Type", value: "text/plain") }
            request.body = .bytes(ByteBuffer(string: try render(text)))
        case .json(let json)?:
            if !request.headers.contains(name: "Content-Type") { request.headers.add(name: "Content-Type", value: "application/json") }
            request.body = .bytes(ByteBuffer(string: try json.render { try runtime.value(of: $0, stack: stack) }))
        case nil: break
        }
        let line = "\(step.method) \(url)"
        let begin = Date()
        let status: Int
        let body: Data
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(step.timeout.milliseconds))
            status = Int(response.status.code)
            body = Data(try await response.body.collect(upTo: 8 << 20).readableBytesView)
        } catch {
            return Attempt(held: false, detail: "\(line): no answer within \(step.timeout): \(error)")
        }
        let took = Self.milliseconds(Date().timeIntervalSince(begin))
        let text = String(decoding: body, as: UTF8.self)
        let seen = "\(line) → HTTP \(status) in \(took)"
        let statusHolds = step.status.isEmpty ? status < 400 : step.status.contains(status)
        guard statusHolds else {
            let wanted = step.status.isEmpty ? "a status below 400" : step.status.map(String.init).joined(separator: " or ")
            return Attempt(held: false, detail: "\(seen), expected \(wanted): \(Self.excerpt(text))")
        }
        for needle in try step.bodyContains.map(render) where !text.contains(needle) {
            return Attempt(held: false, detail: "\(seen), but the body does not contain '\(needle)': \(Self.excerpt(text))")
        }
        var extracted: [String] = []
        if !step.extract.isEmpty {
            let document = JSONValue.parse(body)
            for (name, path) in step.extract.sorted(by: { $0.key < $1.key }) {
                guard let value = document.flatMap({ path.evaluate($0) }) else {
                    return Attempt(held: false, detail: "\(seen), but extract \(name): \(path) is not in the answer: \(Self.excerpt(text))")
                }
                let string: String = if case .string(let s) = value { s } else { value.jsonText }
                runtime.set(name, string)
                extracted.append("\(name)=\(Self.excerpt(string, limit: 60))")
            }
        }
        return Attempt(held: true, detail: seen + (extracted.isEmpty ? "" : "; extracted \(extracted.joined(separator: ", "))"))
    }

    // MARK: exec

    func exec(_ step: ExecStep) async throws -> (DrillJournal.Outcome, String) {
        try await retrying(within: step.within) { try await execAttempt(step) }
    }

    func execAttempt(_ step: ExecStep) async throws -> Attempt {
        let run = try await runToEnd(step.command, timeout: step.timeout)
        let shown = run.tail.isEmpty ? "no output" : "output: \(Self.excerpt(run.tail, limit: 1500))"
        if run.interrupted { return Attempt(held: false, detail: "interrupted while running \(Self.commandLine(step.command.argv))") }
        guard let status = run.status else {
            return Attempt(held: false, detail: "still running after \(step.timeout) (killed); \(shown)")
        }
        let seen = "\(status) after \(Self.seconds(run.seconds))"
        if let expected = step.exitCode, status != .exited(expected) {
            return Attempt(held: false, detail: "\(seen), expected exit code \(expected); \(shown)")
        }
        for needle in try step.outputContains.map(render) where !run.output.contains(needle) {
            return Attempt(held: false, detail: "\(seen), but the output does not contain '\(needle)'; \(shown)")
        }
        return Attempt(held: true, detail: "\(seen); \(shown)")
    }

    /// A command run to its end (or killed at its timeout, or on interruption).
    struct CommandRun {
        /// nil when it was killed.
        var status: ChildProcess.ExitStatus?
        /// stdout and stderr together, and their last 40 lines.
        var output: String
        var tail: String
        var seconds: Double
        var interrupted = false
    }

    func runToEnd(_ command: CommandSpec, timeout: PromDuration) async throws -> CommandRun {
        let launch = try launch(command)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-exec-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }
        let begin = Date()
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(executable: launch.executable, arguments: launch.arguments, logFile: output,
                                             workingDirectory: launch.directory, environment: launch.environment)
        } catch {
            throw ControlError(message: "\(error)")
        }
        let deadline = begin.addingTimeInterval(Double(timeout.milliseconds) / 1000)
        var exited = false
        while !exited, Date() < deadline {
            exited = await process.waitForExit(timeout: .milliseconds(200))
            if isInterrupted, !exited {
                await process.terminate(grace: .seconds(2))
                return CommandRun(status: nil, output: "", tail: "", seconds: Date().timeIntervalSince(begin), interrupted: true)
            }
        }
        let tail = ChildProcess.tail(of: output, lines: 40)
        if !exited { await process.terminate(grace: .seconds(2)) }
        let full = (try? String(contentsOf: output, encoding: .utf8)) ?? tail
        return CommandRun(status: exited ? process.exitStatus : nil, output: full, tail: tail, seconds: Date().timeIntervalSince(begin))
    }

    // MARK: formatting

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }

    /// At most `limit` characters of `text`, on one line, its end kept.
    static func excerpt(_ text: String, limit: Int = 300) -> String {
        let flat = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ⏎ ")
        return flat.count <= limit ? flat : "…" + flat.suffix(limit)
    }
}
