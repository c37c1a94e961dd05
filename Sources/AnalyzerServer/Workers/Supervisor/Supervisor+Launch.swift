import FiredrillSupport
import Foundation

extension Supervisor {
    /// This executable, as the kernel knows it.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts a worker: this executable's `worker` command in the supervisor's process group,
    /// with the listening socket as fd 3, the spec in the environment and the output inherited.
    /// Its exit is reported to ``workerExited(generation:status:)`` by the process' own reaper.
    func launch(_ spec: WorkerSpec) throws -> ChildProcess {
        guard listeningSocketOpen else { throw ListeningSocketClosed() }
        var environment = ProcessInfo.processInfo.environment
        environment[WorkerSpec.environmentKey] = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        // Swift's backtracer symbolicates a crashing worker before it dies, and its slot stays
        // empty meanwhile: crash → ready replacement took 24.5–25.1 s with it, 1.2–1.6 s without
        // (debug build, loaded 2-core machine). The supervisor logs the crash (signal, status).
        environment["SWIFT_BACKTRACE"] = "enable=no"
        var options = ChildProcess.Options(output: .inherit, environment: environment)
        options.ownProcessGroup = false
        options.descriptors = [WorkerMain.inheritedSocket: listeningSocket]
        let generation = spec.generation
        options.onExit = { status in Task { await self.workerExited(generation: generation, status: status) } }
        return try ChildProcess.spawn(executable: Self.executablePath, arguments: ["worker"], options: options)
    }
}

/// A worker was to be started after the supervisor closed the listening socket (it is stopping).
struct ListeningSocketClosed: Error, CustomStringConvertible {
    var description: String { "the service is stopping: no worker is started" }
}
