import FiredrillSupport
import Foundation
import ProxyKit

/// The generic steps that act on processes and the network: `start` of any program, `proxy`, `signal`.
extension DrillRunner {
    /// Starts a program as the step says and waits until it is ready.
    func startProgram(_ step: ProcessStep) async throws -> String {
        let launch = try launch(step.command)
        let begin = Date()
        let process = try stack.commands.start(name: step.name, executable: launch.executable, arguments: launch.arguments,
                                               environment: launch.environment, workingDirectory: launch.directory)
        var readiness = "running"
        do {
            switch step.ready {
            case .url(let url)?:
                let target = try render(url)
                try await Loopback.waitUntilOK(target, name: step.name, process: process, timeout: step.readyTimeout.duration)
                readiness = "\(target) answered 200"
            case .port(let port)?:
                let text = try render(port)
                guard let number = Int(text), (1...65535).contains(number) else { throw ControlError(message: "ready.port: '\(text)' is not a port") }
                try await Loopback.waitUntilListening(port: number, name: step.name, process: process, timeout: step.readyTimeout.duration)
                readiness = "127.0.0.1:\(number) accepts connections"
            case nil:
                _ = await pause(0.3)
                if let status = process.exitStatus {
                    throw ControlError(message: "\(step.name) exited (\(status)) at once" + Loopback.logTail(process))
                }
            }
        } catch {
            await process.terminate(grace: .seconds(5))
            throw error
        }
        record(.serviceStarted, "\(step.name) started")
        return "\(step.name) (pid \(process.pid)): \(launch.commandLine); \(readiness) after "
            + "\(Self.seconds(Date().timeIntervalSince(begin))); log \(process.logFile?.path ?? "-")"
    }

    /// A command with its runtime variables filled in, ready to spawn.
    struct Launch {
        var executable: String
        var arguments: [String]
        var environment: [String: String]
        var directory: URL
        var commandLine: String { ([executable] + arguments).joined(separator: " ") }
    }

    /// Resolves a command: its program, arguments, environment (firedrill's plus the step's) and directory.
    func launch(_ command: CommandSpec) throws -> Launch {
        let argv = try command.argv.map(render)
        return Launch(executable: try Self.executable(argv[0], base: options.baseDirectory), arguments: Array(argv.dropFirst()),
                      environment: ProcessInfo.processInfo.environment.merging(try command.environment.mapValues(render)) { $1 },
                      directory: try command.workingDirectory.map { try directoryURL(render($0)) } ?? options.baseDirectory)
    }

    /// A program's path: absolute as given, relative to the repository root when it has a '/', else
    /// looked up on PATH.
    static func executable(_ program: String, base: URL) throws -> String {
        if program.hasPrefix("/") { return program }
        if program.contains("/") { return base.appendingPathComponent(program).standardizedFileURL.path }
        guard let found = MonitoringBinaries.find([program]) else { throw ControlError(message: "\(program): not found on PATH") }
        return found.path
    }

    /// A directory, relative to the repository root unless absolute.
    func directoryURL(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : options.baseDirectory.appendingPathComponent(path)
    }

    /// Drives the stack's fault proxy.
    func proxy(_ step: ProxyStep) async throws -> String {
        let api = try await stack.proxy.apiURL()
        let client = ProxyClient(baseURL: api)
        switch step {
        case .create(let name, let listen, let upstream, let proto):
            let info = try await client.createProxy(ProxySpec(name: name, listen: try render(listen), upstream: try render(upstream),
                                                              protocol: proto))
            runtime.set("proxy.\(name).listen", info.listen)
            return "proxy \(name) (\(proto.rawValue)) listens on \(info.listen) → \(info.upstream) (API \(api))"
        case .addToxic(let toxic):
            var json: [String: ProxyKit.JSONValue] = [
                "name": .string(toxic.toxicName), "type": .string(toxic.type), "stream": .string(toxic.stream),
                "toxicity": .double(toxic.toxicity), "attributes": .object(toxic.attributes),
            ]
            if let ttl = toxic.ttl { json["ttl"] = .string(ttl.description) }
            let info = try await client.addToxic(json: .object(json), to: toxic.proxy)
            record(.faultInjected, "toxic \(info.type) on \(toxic.proxy)")
            let attributes = info.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.brief($0.value))" }
            return "toxic \(info.name) on \(toxic.proxy): \(info.type), \(info.stream), toxicity \(Self.number(info.toxicity))"
                + (attributes.isEmpty ? "" : ", \(attributes.joined(separator: " "))") + (info.ttl.map { ", ttl \($0)" } ?? "")
        case .removeToxic(let proxy, let toxic):
            try await client.removeToxic(toxic, from: proxy)
            record(.faultCleared, "toxic \(toxic) removed from \(proxy)")
            return "toxic \(toxic) removed from \(proxy)"
        case .reset:
            try await client.reset()
            record(.faultCleared, "proxy reset")
            return "every proxy enabled, every toxic removed (\(api))"
        }
    }

    static func brief(_ value: ProxyKit.JSONValue) -> String {
        switch value {
        case .string(let s): s.isEmpty ? "\"\"" : s
        case .int(let i): String(i)
        case .double(let d): number(d)
        case .bool(let b): String(b)
        default: "…"
        }
    }

    /// Sends the step's signal to a started program's process group, or to a pidfile's PID.
    func signal(_ step: SignalStep) throws -> String {
        let number = SignalStep.names[step.signal]!
        let label: String
        switch step.target {
        case .process(let name):
            guard let process = stack.commands.process(named: name) else { throw ControlError(message: "no program named \(name) was started") }
            guard process.isRunning else {
                throw ControlError(message: "\(name) is not running (\(process.exitStatus.map { "\($0)" } ?? "exited"))")
            }
            // The group: the program and whatever it started (a wrapper script's server).
            guard killpg(process.pid, number) == 0 else {
                throw ControlError(message: "\(step.signal) to \(name): \(String(cString: strerror(errno)))")
            }
            label = "\(name) (process group \(process.pid))"
        case .pidfile(let file):
            let path = try render(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let pid = text.split(whereSeparator: \.isNewline).first.flatMap({ Int32($0.trimmingCharacters(in: .whitespaces)) }), pid > 0 else {
                throw ControlError(message: "\(path): no PID in it")
            }
            guard kill(pid, number) == 0 else { throw ControlError(message: "\(step.signal) to pid \(pid): \(String(cString: strerror(errno)))") }
            label = "pid \(pid) (\(path))"
        }
        record(step.signal == "SIGCONT" ? .faultCleared : .faultInjected, "\(step.signal) to \(label)")
        return "\(step.signal) sent to \(label)"
    }
}

extension Step {
    /// Whether the step needs csv-analyzer running (a rollback that does is skipped when it never started).
    var needsService: Bool {
        switch kind {
        case .seed, .faultSet, .faultClear, .act, .load(.start(_, _, _, _, _, nil, _)): true
        default: false
        }
    }
}
