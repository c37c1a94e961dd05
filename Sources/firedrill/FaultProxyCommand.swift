import ArgumentParser
import Foundation
import ProxyKit

/// `firedrill fault proxy list|add|remove|reset`: the fault proxy's API (ours or Toxiproxy's) from the
/// command line, so nobody needs curl.
struct FaultProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "List, add and remove network toxics on a fault proxy (firedrill proxy or Toxiproxy).",
        discussion: """
            Talks to the proxy API given by --proxy-api (default http://127.0.0.1:8474, Toxiproxy's). \
            Toxics: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data; on proxies \
            created with "protocol": "http" also http_status, http_latency, fail_first, http_abort.

              firedrill fault proxy list
              firedrill fault proxy add db --type latency -a latency=1000 -a jitter=100 --ttl 2m
              firedrill fault proxy add db --type reset_peer --stream upstream --toxicity 0.5
              firedrill fault proxy add web --type http_status -a status=503 -a path='/api/*' --toxicity 0.05
              firedrill fault proxy remove db latency_downstream
              firedrill fault proxy reset                      # every proxy enabled, every toxic removed

            Exit code 1 when the API refuses (its message is printed) or cannot be reached.
            """,
        subcommands: [List.self, Add.self, Remove.self, Reset.self])

    struct API: ParsableArguments {
        @Option(name: .customLong("proxy-api"), help: "The proxy API's base URL [FIREDRILL_PROXY_API].")
        var url: String = ProcessInfo.processInfo.environment["FIREDRILL_PROXY_API"] ?? "http://127.0.0.1:8474"

        func validate() throws {
            guard let parsed = URL(string: url), parsed.scheme == "http", parsed.host != nil else {
                throw ValidationError("--proxy-api must be an http URL such as http://127.0.0.1:8474, got '\(url)'")
            }
        }

        var client: ProxyClient { ProxyClient(baseURL: url) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the proxies and their toxics.")
        @OptionGroup var api: API

        func run() async throws {
            let proxies = try await exitOnRefusal(ProxyClientError.self) { try await api.client.proxies() }
            if proxies.isEmpty { print("no proxies") }
            for proxy in proxies.values.sorted(by: { $0.name < $1.name }) {
                print("\(proxy.name)  \(proxy.listen) → \(proxy.upstream)  \(proxy.protocol ?? "tcp")  \(proxy.enabled ? "enabled" : "disabled")")
                for toxic in proxy.toxics {
                    let attributes = toxic.attributes.keys.sorted().map { "\($0)=\(Self.text(toxic.attributes[$0]!))" }.joined(separator: " ")
                    print("  \(toxic.name)  \(toxic.type) \(toxic.stream) toxicity=\(toxic.toxicity)\(toxic.ttl.map { " ttl=\($0)" } ?? "")  \(attributes)")
                }
            }
        }

        static func text(_ value: JSONValue) -> String {
            switch value {
            case .int(let i): "\(i)"
            case .double(let d): "\(d)"
            case .string(let s): s.isEmpty ? "\"\"" : s
            case .bool(let b): "\(b)"
            default: "…"
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a toxic to a proxy (open connections included).")
        @Argument(help: "The proxy's name.")
        var proxy: String
        @Option(name: [.short, .long], help: "The toxic type, e.g. latency, bandwidth, reset_peer, http_status.")
        var type: String
        @Option(name: [.short, .customLong("attribute")], help: "An attribute as key=value (repeatable), e.g. -a latency=1000.")
        var attributes: [String] = []
        @Option(name: [.short, .long], help: "The toxic's name (default TYPE_STREAM).")
        var name: String?
        @Option(help: "upstream (client → service) or downstream (service → client, the default).")
        var stream: String?
        @Option(help: "Chance 0…1 that a connection (HTTP toxics: a request) is affected (default 1).")
        var toxicity: Double?
        @Option(help: "Time to live, e.g. 30s, 5m: the toxic removes itself after it.")
        var ttl: String?
        @OptionGroup var api: API

        func run() async throws {
            var attrs: [String: JSONValue] = [:]
            for pair in attributes {
                guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                    throw ValidationError("-a expects key=value, got '\(pair)'")
                }
                let value = String(pair[pair.index(after: eq)...])
                attrs[String(pair[..<eq])] = Int64(value).map(JSONValue.int) ?? Double(value).map(JSONValue.double) ?? .string(value)
            }
            var fields: [String: JSONValue] = ["type": .string(type), "attributes": .object(attrs)]
            if let name { fields["name"] = .string(name) }
            if let stream { fields["stream"] = .string(stream) }
            if let toxicity { fields["toxicity"] = .double(toxicity) }
            if let ttl { fields["ttl"] = .string(ttl) }
            let toxic = try await exitOnRefusal(ProxyClientError.self) { try await api.client.addToxic(json: .object(fields), to: proxy) }
            print("added \(toxic.stream) \(toxic.type) toxic '\(toxic.name)' on proxy '\(proxy)'\(toxic.ttl.map { " for \($0)" } ?? "")")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a toxic from a proxy.")
        @Argument(help: "The proxy's name.")
        var proxy: String
        @Argument(help: "The toxic's name (see list).")
        var toxic: String
        @OptionGroup var api: API

        func run() async throws {
            try await exitOnRefusal(ProxyClientError.self) { try await api.client.removeToxic(toxic, from: proxy) }
            print("removed toxic '\(toxic)' on proxy '\(proxy)'")
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable every proxy and remove every toxic.")
        @OptionGroup var api: API

        func run() async throws {
            try await exitOnRefusal(ProxyClientError.self) { try await api.client.reset() }
            print("reset: every proxy enabled, every toxic removed")
        }
    }
}
