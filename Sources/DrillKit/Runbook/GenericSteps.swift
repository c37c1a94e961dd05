import FiredrillSupport
import Foundation
import LoadKit
import ProxyKit

/// How a program is launched: argv, additions to the environment, the working directory (each may
/// name runtime variables). A `start` step's program and an `exec` step's command share it.
public struct CommandSpec: Sendable, Equatable {
    /// argv; a relative program path is looked up from the repository root, a bare name on PATH. A
    /// string in the runbook becomes `/bin/sh -c STRING`.
    public var argv: [StepText]
    /// Added to firedrill's environment.
    public var environment: [String: StepText] = [:]
    /// The working directory (default: the repository root).
    public var workingDirectory: StepText?
}

/// A `start` step with a `command`: any program, kept running until the stack stops.
public struct ProcessStep: Sendable, Equatable {
    /// How the stack knows it (its log is `logs/NAME.log`; `signal` steps name it).
    public var name: String
    public var command: CommandSpec
    /// What to wait for before the step passes; nil: only that the program has not exited at once.
    public var ready: Readiness?
    /// Wall-clock bound on the readiness wait.
    public var readyTimeout: PromDuration

    /// What tells that a started program is ready.
    public enum Readiness: Sendable, Equatable {
        /// `GET url` answers 200.
        case url(StepText)
        /// A TCP connection to 127.0.0.1:port succeeds.
        case port(StepText)
    }

    public init(name: String, command: CommandSpec, ready: Readiness? = nil, readyTimeout: PromDuration = PromDuration("30s")!) {
        self.name = name
        self.command = command
        self.ready = ready
        self.readyTimeout = readyTimeout
    }
}

/// A `proxy` step: drives the fault proxy through its Toxiproxy-compatible API.
public enum ProxyStep: Sendable, Equatable {
    /// Creates a proxy listening on `listen` (`host:port`) in front of `upstream`.
    case create(name: String, listen: StepText, upstream: StepText, protocol: ProxyProtocol)
    /// Adds a toxic (Toxiproxy's fields plus our `ttl`); the proxy validates `attributes`.
    case addToxic(ToxicStep)
    /// Removes the toxic `toxic` of `proxy`.
    case removeToxic(proxy: String, toxic: String)
    /// Enables every proxy and removes every toxic.
    case reset
}

/// The fields of `proxy: {action: add_toxic, …}`.
public struct ToxicStep: Sendable, Equatable {
    public var proxy: String
    /// Toxiproxy's default when nil: `TYPE_STREAM`.
    public var name: String?
    public var type: String
    public var stream: String
    public var toxicity: Double
    public var attributes: [String: ProxyKit.JSONValue]
    /// As written (`30s`), sent to the proxy, which removes the toxic when it expires.
    public var ttl: PromDuration?

    public init(proxy: String, name: String? = nil, type: String, stream: String = "downstream", toxicity: Double = 1,
                attributes: [String: ProxyKit.JSONValue] = [:], ttl: PromDuration? = nil) {
        self.proxy = proxy
        self.name = name
        self.type = type
        self.stream = stream
        self.toxicity = toxicity
        self.attributes = attributes
        self.ttl = ttl
    }

    /// The toxic's name as the proxy will know it.
    public var toxicName: String { name ?? "\(type)_\(stream)" }
}

/// An `http` step: any request, with checks and extraction (like a scenario request).
public struct HTTPStep: Sendable, Equatable {
    /// A request body.
    public enum Body: Sendable, Equatable {
        /// Sent as written (`Content-Type` from `headers`, else `text/plain`).
        case text(StepText)
        /// A JSON document whose strings may name runtime variables.
        case json(JSONBody)
    }

    public var method: String
    /// Absolute, or a path (`/readyz`) on the stack's service.
    public var url: StepText
    public var headers: [String: StepText]
    public var body: Body?
    /// Accepted statuses; empty: any status below 400.
    public var status: [Int]
    /// Substrings the body must contain.
    public var bodyContains: [StepText]
    /// Variable name → JSON path of the answer; set for the steps that follow.
    public var extract: [String: JSONPath]
    /// Per-attempt deadline (wall clock).
    public var timeout: PromDuration
    /// When set, the request is repeated (every 0.5 s) until the checks hold, at most this long (incident time).
    public var within: PromDuration?

    public init(method: String = "GET", url: StepText, headers: [String: StepText] = [:], body: Body? = nil, status: [Int] = [],
                bodyContains: [StepText] = [], extract: [String: JSONPath] = [:], timeout: PromDuration = PromDuration("10s")!,
                within: PromDuration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.status = status
        self.bodyContains = bodyContains
        self.extract = extract
        self.timeout = timeout
        self.within = within
    }
}

/// A JSON document written in YAML, its strings possibly naming runtime variables.
public indirect enum JSONBody: Sendable, Equatable {
    case object([String: JSONBody])
    case array([JSONBody])
    case string(StepText)
    /// A number, `true`, `false` or `null`, as written.
    case literal(String)

    /// JSON text, with runtime variables resolved by `lookup`.
    public func render(_ lookup: (String) throws -> String) rethrows -> String {
        switch self {
        case .object(let members):
            "{" + (try members.keys.sorted().map { JSONText.quoted($0) + ":" + (try members[$0]!.render(lookup)) }.joined(separator: ",")) + "}"
        case .array(let items): "[" + (try items.map { try $0.render(lookup) }.joined(separator: ",")) + "]"
        case .string(let text): JSONText.quoted(try text.render(lookup))
        case .literal(let text): text
        }
    }
}

/// An `exec` step: runs a command to its end.
public struct ExecStep: Sendable, Equatable {
    public var command: CommandSpec
    /// Wall-clock bound; the command's process group is killed after it.
    public var timeout: PromDuration
    /// Expected exit code; nil: any.
    public var exitCode: Int32?
    /// Substrings its output (stdout and stderr) must contain.
    public var outputContains: [StepText]
    /// When set, the command is repeated (every 0.5 s) until the checks hold, at most this long (incident time).
    public var within: PromDuration?

    public init(command: CommandSpec, timeout: PromDuration = PromDuration("30s")!, exitCode: Int32? = 0,
                outputContains: [StepText] = [], within: PromDuration? = nil) {
        self.command = command
        self.timeout = timeout
        self.exitCode = exitCode
        self.outputContains = outputContains
        self.within = within
    }
}

/// A `signal` step: a signal to a program a `start` step started, or to a pidfile's PID.
public struct SignalStep: Sendable, Equatable {
    /// Whom to signal.
    public enum Target: Sendable, Equatable {
        /// The program a `start` step named so.
        case process(String)
        /// The PID written in this file.
        case pidfile(StepText)
    }

    /// The signals a drill may send, by name.
    public static let names: [String: Int32] = ["SIGSTOP": SIGSTOP, "SIGCONT": SIGCONT, "SIGTERM": SIGTERM, "SIGKILL": SIGKILL]

    /// `SIGSTOP`, `SIGCONT`, `SIGTERM` or `SIGKILL`.
    public var signal: String
    public var target: Target

    public init(signal: String, target: Target) {
        self.signal = signal
        self.target = target
    }
}
