import ArgumentParser
import Foundation
import FiredrillSupport
import Logging
import ProxyKit

/// `firedrill proxy`: the fault proxy daemon (Toxiproxy's API and toxics).
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Run the fault proxy: TCP proxies with Toxiproxy's HTTP API and toxics.",
        discussion: """
            Speaks Toxiproxy's API (GET/POST /proxies, /populate, /proxies/{name}/toxics, /reset, \
            /version) so Toxiproxy's own clients drive it unchanged, plus /metrics (Prometheus), HTTP \
            toxics for proxies created with "protocol": "http", and a "ttl" on any toxic.

              firedrill proxy                                  # API on 127.0.0.1:8474
              firedrill proxy --config proxies.json            # create proxies at start
              curl -X POST 127.0.0.1:8474/proxies -d '{"name":"db","listen":"127.0.0.1:25432","upstream":"127.0.0.1:5432"}'
              firedrill fault proxy add db --type latency -a latency=1000 --ttl 2m

            Runs until SIGINT or SIGTERM, then closes every proxied connection and exits 0.
            Exit codes: 65 the --config file is invalid; 69 the API or a proxy cannot listen.
            """)

    @Option(help: "Address the API listens on [FIREDRILL_PROXY_HOST].")
    var host: String = ProcessInfo.processInfo.environment["FIREDRILL_PROXY_HOST"] ?? "127.0.0.1"

    @Option(help: "API port, Toxiproxy's 8474 by default; 0 picks a free port [FIREDRILL_PROXY_PORT].")
    var port: Int = Int(ProcessInfo.processInfo.environment["FIREDRILL_PROXY_PORT"] ?? "") ?? 8474

    @Option(help: "Proxies to create at start: a JSON array in Toxiproxy's populate format ([{\"name\", \"listen\", \"upstream\", \"enabled\", \"protocol\"}]).")
    var config: String?

    @Option(help: "Event-loop threads shared by the API and every proxied connection; 0: one per core [FIREDRILL_PROXY_THREADS].")
    var threads: Int = Int(ProcessInfo.processInfo.environment["FIREDRILL_PROXY_THREADS"] ?? "") ?? 0

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port)") }
        guard (0...256).contains(threads) else { throw ValidationError("--threads must be 0…256 (0: one per core), got \(threads)") }
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        var logger = Logger(label: "firedrill.proxy") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        var document: Data?
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else { fail("cannot read --config \(config)"); throw ExitCodes.invalidScenario }
            document = data
        }
        let server = ProxyServer(threads: threads, logger: logger)
        let bound: Int
        do {
            bound = try await server.start(host: host, port: port)
        } catch {
            fail("cannot listen on \(host):\(port): \(error)")
            await server.stop()
            throw ExitCodes.runError
        }
        if let document {
            do {
                let proxies = try await server.populate(json: document)
                logger.info("populated proxies from \(config ?? "")", metadata: ["proxies": "\(proxies.map(\.name))"])
            } catch let error as ProxyError {
                fail("--config \(config ?? ""): \(error.message)")
                await server.stop()
                throw error.kind == .failed ? ExitCodes.runError : ExitCodes.invalidScenario
            }
        }
        print("firedrill proxy: API on http://\(host):\(bound)")
        let stop = AsyncStream<Int32> { continuation in
            let watcher = SignalWatcher { continuation.yield($0) }
            continuation.onTermination = { _ in watcher.cancel() }
        }
        for await signal in stop {
            logger.info("stopping", metadata: ["signal": "\(signal)"])
            break
        }
        await server.stop()
    }

    private func fail(_ message: String) {
        FileHandle.standardError.write(Data("firedrill proxy: \(message)\n".utf8))
    }
}
