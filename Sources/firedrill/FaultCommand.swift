import AnalyzerAPI
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
        var target: String = FiredrillEnvironment.value("TARGET") ?? "http://127.0.0.1:8000"

        @Option(help: "The admin API's bearer token [FIREDRILL_ADMIN_TOKEN].")
        var token: String = FiredrillEnvironment.value("ADMIN_TOKEN") ?? ""

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

        /// The fault as the admin API takes it.
        var spec: FaultSpec {
            get throws {
                guard let faultType = FaultType(rawValue: type) else {
                    throw ValidationError(FaultType.unknownMessage(type))
                }
                return FaultSpec(type: faultType, probability: probability, route: route, latencyMs: latencyMs, jitterMs: jitterMs,
                                 status: status, burnMs: burnMs, model: model, ttl: ttl)
            }
        }

        func validate() throws {
            do { try spec.validate() } catch let refused as RequestBodyError {
                throw ValidationError(refused.field.map { "--\($0.replacingOccurrences(of: "_", with: "-")): " } .map { $0 + refused.message } ?? refused.message)
            }
        }

        func run() async throws {
            let spec = try spec
            let fault = try await exitOnRefusal(ControlError.self) { try await target.client.set(spec) }
            print("injected \(fault.type.rawValue) as \(fault.id)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the active faults.")
        @OptionGroup var target: Target

        func run() async throws {
            let faults = try await exitOnRefusal(ControlError.self) { try await target.client.list() }
            if faults.isEmpty { print("no active faults") }
            let now = Date().timeIntervalSince1970
            for fault in faults {
                let details: [(String, Any?)] = [("probability", fault.probability), ("route", fault.route), ("latency_ms", fault.latencyMs),
                                                 ("jitter_ms", fault.jitterMs), ("status", fault.status), ("burn_ms", fault.burnMs),
                                                 ("model", fault.model)]
                let shown = details.compactMap { name, value in value.map { "\(name)=\($0)" } }.joined(separator: " ")
                print("\(fault.id)  \(fault.type.rawValue)  expires in \(Int(fault.expiresAt - now))s  \(shown)")
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear one fault by id, or all faults.")
        @Argument(help: "The fault id (default: every fault).")
        var id: String?
        @OptionGroup var target: Target

        func run() async throws {
            try await exitOnRefusal(ControlError.self) { try await target.client.clear(id: id) }
            print(id.map { "cleared \($0)" } ?? "cleared all faults")
        }
    }
}
