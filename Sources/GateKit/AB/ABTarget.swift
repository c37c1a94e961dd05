/// One side of an A/B comparison: where the load goes and, optionally, the command that serves it.
public struct ABTarget: Sendable {
    /// `A` or `B`.
    public var label: String
    /// Base URL the scenario's requests go to (its `host`).
    public var url: String
    /// A shell command that starts the service (run with `/bin/sh -c`, in its own process group,
    /// stopped at the end); nil when the service already runs.
    public var command: String?
    /// Polled with `GET` until it answers 2xx before the first round.
    public var readyURL: String

    /// Creates a target; readiness is polled at `url + readyPath`.
    public init(label: String, url: String, command: String? = nil, readyPath: String = "/healthz") {
        self.label = label
        self.url = url
        self.command = command
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        readyURL = base + (readyPath.hasPrefix("/") ? readyPath : "/" + readyPath)
    }
}
