import FiredrillSupport
import Foundation
import Logging
import ProxyKit

/// The fault proxy a stack offers to `proxy` steps: for the local stack a `ProxyServer` in this
/// process, started by the first `proxy` step on a free loopback port (a drill without proxy steps
/// costs nothing); for an attached stack the API at `--proxy-api` (a `firedrill proxy` or a
/// Toxiproxy that is already running).
public actor DrillProxy {
    private let givenURL: String?
    private let logger: Logger
    private var server: ProxyServer?
    private var url: String?
    private var stopped = false

    /// An in-process proxy, started on first use, logging to `logger`.
    public init(logger: Logger = Logger(label: "firedrill.proxy")) {
        givenURL = nil
        self.logger = logger
    }

    /// The proxy API at `apiURL`; nil: none (proxy steps fail, saying how to give one).
    public init(apiURL: String?) {
        givenURL = apiURL.map(URLText.base) ?? ""
        logger = Logger(label: "firedrill.proxy")
    }

    /// The API's base URL, starting the in-process proxy if needed.
    public func apiURL() async throws -> String {
        if let givenURL {
            guard !givenURL.isEmpty else {
                throw ControlError(message: "proxy steps need a proxy API: with --stack attach pass --proxy-api URL (e.g. a running `firedrill proxy`)")
            }
            return givenURL
        }
        if let url { return url }
        guard !stopped else { throw ControlError(message: "the stack is stopped") }
        let server = ProxyServer(threads: 1, logger: logger)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        let url = "http://127.0.0.1:\(port)"
        if stopped {
            await server.stop()
            throw ControlError(message: "the stack is stopped")
        }
        self.server = server
        self.url = url
        return url
    }

    /// The API's URL if the proxy runs (in process) or was given (attach); nil otherwise.
    public var currentURL: String? { givenURL.flatMap { $0.isEmpty ? nil : $0 } ?? url }

    /// Stops the in-process proxy (its proxies and connections); an attached one is left running.
    public func stop() async {
        stopped = true
        let server = self.server
        self.server = nil
        await server?.stop()
    }
}
