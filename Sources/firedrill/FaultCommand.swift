import ArgumentParser
import DrillKit
import Foundation

/// `firedrill fault set|clear|list`: the service's fault API from the harness.
struct FaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault",
        abstract: "Inject, list and clear faults in csv-analyzer through its admin API.",
        discussion: """
            The service must run with --admin-token; pass the same token with --token (or FIREDRILL_ADMIN_TOKEN).
            Every fault expires by itself after its --ttl.

              firedrill fault set errors --probability 0.05 --route '/api/models/{id}/predict' --ttl 2m
              firedrill fault set latency --latency-ms 800 --jitter-ms 200 --ttl 5m
              firedrill fault list
              firedrill fault clear            # all faults
            """,
        subcommands: [Set.self, List.self, Clear.self, FaultProxyCommand.self])

    struct Target: ParsableArguments {
        @Option(help: "The service's base URL [FIREDRILL_TARGET].")
        var target: String = ProcessInfo.processInfo.environment["FIREDRILL_TARGET"] ?? "http://127.0.0.1:8000"

        @Option(help: "The admin API's bearer token [FIREDRILL_ADMIN_TOKEN].")
        var token: String = ProcessInfo.processInfo.environment["FIREDRILL_ADMIN_TOKEN"] ?? ""

        func validate() throws {
            guard !token.isEmpty else { throw ValidationError("--token (or FIREDRILL_ADMIN_TOKEN) is required: the admin API is token-protected") }
            guard let url = URL(string: target), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--target must be an http(s) URL such as http://127.0.0.1:8000, got '\(target)'")
            }
        }

        var client: FaultClient { FaultClient(target: target, token: token) }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Inject a fault.")

        @Argument(help: "feature_leak, latency, errors, cpu_burn, worker_crash or model_degrade.")
        var type: String
        @Option(help: "Chance that a matching request is affected, 0…1 (default 1).")
        var probability: Double?
        @Option(help: "Route template, e.g. /api/models/{id}/predict (default: every route).")
        var route: String?
        @Option(name: .customLong("latency-ms"), help: "latency: fixed delay in ms.")
        var latencyMs: Double?
        @Option(name: .customLong("jitter-ms"), help: "latency: ± random jitter in ms.")
        var jitterMs: Double?
        @Option(help: "errors: the 5xx status to answer (default 500).")
        var status: Int?
        @Option(name: .customLong("burn-ms"), help: "cpu_burn: CPU time to burn per request, in ms.")
        var burnMs: Double?
        @Option(help: "model_degrade: the model id (default: every model).")
        var model: String?
        @Option(help: "Time to live, e.g. 30s, 5m, 1h (default 5m).")
        var ttl: String?
        @OptionGroup var target: Target

        func run() async throws {
            var fields: [String: JSONScalar] = ["type": .string(type)]
            if let probability { fields["probability"] = .number(probability) }
            if let route { fields["route"] = .string(route) }
            if let latencyMs { fields["latency_ms"] = .number(latencyMs) }
            if let jitterMs { fields["jitter_ms"] = .number(jitterMs) }
            if let status { fields["status"] = .number(Double(status)) }
            if let burnMs { fields["burn_ms"] = .number(burnMs) }
            if let model { fields["model"] = .string(model) }
            if let ttl { fields["ttl"] = .string(ttl) }
            let fault = try await control { try await target.client.set(fields) }
            print("injected \(fault["type"]?.description ?? type) as \(fault["id"]?.description ?? "?")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the active faults.")
        @OptionGroup var target: Target

        func run() async throws {
            let faults = try await control { try await target.client.list() }
            if faults.isEmpty { print("no active faults") }
            let now = Date().timeIntervalSince1970
            for fault in faults {
                let expires = fault["expires_at"].flatMap { if case .number(let t) = $0 { t } else { nil } } ?? now
                let details = fault.keys.sorted().filter { !["id", "type", "created_at", "expires_at"].contains($0) }
                    .map { "\($0)=\(fault[$0]!)" }.joined(separator: " ")
                print("\(fault["id"]?.description ?? "?")  \(fault["type"]?.description ?? "?")  expires in \(Int(expires - now))s  \(details)")
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear one fault by id, or all faults.")
        @Argument(help: "The fault id (default: every fault).")
        var id: String?
        @OptionGroup var target: Target

        func run() async throws {
            try await control { try await target.client.clear(id: id) }
            print(id.map { "cleared \($0)" } ?? "cleared all faults")
        }
    }
}

/// Runs a control-plane call; a refusal becomes a one-line error and exit code 1.
func control<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ControlError {
        FileHandle.standardError.write(Data("firedrill: \(error.message)\n".utf8))
        throw ExitCode.failure
    }
}
