import ArgumentParser
import LoadKit
import Logging

/// The help texts ``EngineOptions`` shows in one command (`load` and `replay` word them their own way).
protocol EngineHelp {
    /// `--threads`.
    static var threads: String { get }
    /// `--no-preflight`.
    static var preflight: String { get }
}

/// `--threads`, `--no-preflight` and `--transport`: how `load` and `replay` start the engine, declared once.
struct EngineOptions<Help: EngineHelp>: ParsableArguments {
    @Option(help: ArgumentHelp(Help.threads))
    var threads: Int?

    @Flag(help: ArgumentHelp(Help.preflight))
    var noPreflight = false

    @Option(help: ArgumentHelp(TransportHelp.text, valueName: "auto|sockets|nio"))
    var transport: Transport = .auto

    /// Most `--threads`: each is an event loop with its own epoll and eventfd descriptors.
    static var maxThreads: Int { 1024 }

    func validate() throws {
        if let threads, !(1...Self.maxThreads).contains(threads) {
            throw ValidationError("--threads must be between 1 and \(Self.maxThreads), got \(threads)")
        }
    }

    /// The engine's options: these flags (1 thread by default), `outputs` fed every tick when given.
    func options(logger: Logger, outputs: ReportFiles? = nil) -> RunOptions {
        var options = RunOptions(threads: threads ?? 1, preflight: !noPreflight, logger: logger)
        options.transport = transport
        if let outputs { options.onTick = { outputs.tick($0) } }
        return options
    }

    /// The run of `plan` with ``options(logger:outputs:)`` changed by `change`: exit 65 when the plan cannot run.
    func run(_ plan: LoadPlan, logger: Logger, outputs: ReportFiles, change: (inout RunOptions) -> Void = { _ in }) throws -> LoadRun {
        var options = options(logger: logger, outputs: outputs)
        change(&options)
        do {
            return try LoadRun(plan: plan, options: options)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
    }
}

extension Transport: ExpressibleByArgument {}

/// `--transport`'s help, shared by `load`, `replay` and `worker`.
enum TransportHelp {
    static let text = """
        What drives the connections: sockets (the generator's own non-blocking sockets and epoll loops, \
        plain http only, the cheapest per request), nio (SwiftNIO channels, http and https) or auto (sockets \
        when every origin the plan names is http://, nio otherwise). On sockets a redirect to https fails \
        its request, naming --transport nio.
        """
}
