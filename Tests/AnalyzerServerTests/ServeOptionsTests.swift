import ArgumentParser
import Foundation
import Logging
import Testing

@testable import AnalyzerServer

/// `csv-analyzer serve`'s flags are declared once (``ServeOptions``): each reaches the
/// configuration and a worker, falls back to its environment variable and shows both in `--help`.
/// The flags are listed by ArgumentParser, never by hand.
@Suite struct ServeOptionsTests {
    /// A value other than the default for every flag. A new flag fails
    /// `everyFlagReachesTheConfigurationAndAWorker` until it has one here.
    static let nonDefault: [String: String] = [
        "--host": "0.0.0.0", "--port": "9001", "--data-dir": "/tmp/elsewhere", "--max-upload-size": "5MiB",
        "--memory-limit": "512MiB", "--sync-train-rows": "7", "--log-level": "debug",
        "--database-url": "sqlite:/tmp/x.sqlite", "--prediction-log": "off", "--workers": "3", "--features-impl": "legacy",
        "--leak-scale": "4", "--max-requests": "100", "--max-requests-jitter": "10", "--graceful-timeout": "2.5",
        "--admin-token": "s3cret", "--error-log": "/tmp/error.log", "--drift-window": "50", "--drift-window-age": "1h30m",
        "--drift-min-rows": "5", "--feedback-window": "60", "--mlflow-tracking-uri": "http://127.0.0.1:5000",
        "--max-columns": "50", "--max-batch-rows": "20", "--header-timeout": "3s", "--body-timeout": "2m", "--idle-timeout": "5s",
    ]

    static var flags: [EnvironmentFallback.Variable] { EnvironmentFallback.variables(of: ServeOptions.self) }

    /// What a worker receives: `configuration` through the JSON of a ``WorkerSpec``.
    static func handedOff(_ configuration: ServerConfiguration) throws -> ServerConfiguration {
        let spec = WorkerSpec(slot: 1, generation: 2, runDirectory: "/tmp/run", memoryShareBytes: 1 << 20, configuration: configuration)
        let decoded = try JSONDecoder().decode(WorkerSpec.self, from: try JSONEncoder().encode(spec))
        #expect(decoded == spec)
        return decoded.configuration
    }

    @Test func everyFlagReachesTheConfigurationAndAWorker() throws {
        // Every stored property of ServeOptions is an option with a variable (so a change in
        // ArgumentParser's description of them cannot silently switch the fallbacks off).
        #expect(Self.flags.count == Mirror(reflecting: ServeOptions.defaults).children.count)
        #expect(Self.flags.map(\.flag) == ServeOptions.optionFlags)
        #expect(Set(Self.flags.map(\.flag)) == Set(Self.nonDefault.keys), "every flag needs a non-default value above")
        let defaults = try ServeOptions.parse([]).configuration
        #expect(defaults == ServerConfiguration())
        #expect(try Self.handedOff(defaults) == defaults)
        for variable in Self.flags {
            let value = try #require(Self.nonDefault[variable.flag])
            let configuration = try ServeOptions.parse([variable.flag, value]).configuration
            #expect(configuration != defaults, "\(variable.flag) \(value) changes nothing in ServerConfiguration")
            let handedOff = try Self.handedOff(configuration)
            #expect(handedOff == configuration, "\(variable.flag) \(value) does not survive the worker hand-off")
            #expect(handedOff != defaults)
        }
        let all = try ServeOptions.parse(Self.nonDefault.flatMap { [$0.key, $0.value] }).configuration
        #expect(all.options.arguments.count == Self.flags.count, "every flag is written back for a worker")
        let worker = try Self.handedOff(all)
        #expect(worker == all)
        // Typed where they are used.
        for c in [all, worker] {
            #expect(c.driftWindowAge == .seconds(5400))
            #expect(c.gracefulTimeout == .milliseconds(2500))
            #expect(c.maxUploadSize.bytes == 5 << 20 && c.memoryLimit?.bytes == 512 << 20)
            #expect(c.logLevel == .debug && c.predictionLog == .off && c.featuresImplementation == .legacy)
            #expect(c.dataDirectory.path == "/tmp/elsewhere" && c.workers == 3)
        }
    }

    @Test func programmaticSettingsAndTunablesReachAWorker() throws {
        var c = ServerConfiguration()
        c.port = 0
        c.dataDirectory = URL(fileURLWithPath: "/tmp/some dir")
        c.maxRequests = 7
        c.featuresImplementation = .legacy
        c.adminToken = "--not-a-flag"
        c.driftWindowAge = .milliseconds(1500)
        c.oomKillFactor = 2
        c.monitoring.mlflowMaxAttempts = 1
        let worker = try Self.handedOff(c)
        #expect(worker == c)
        #expect(worker.port == 0 && worker.maxRequests == 7 && worker.adminToken == "--not-a-flag")
        #expect(worker.dataDirectory.path == "/tmp/some dir" && worker.driftWindowAge == .milliseconds(1500))
        #expect(worker.oomKillFactor == 2 && worker.monitoring.mlflowMaxAttempts == 1)
    }

    @Test func everyFlagFallsBackToItsVariableAndTheFlagWins() throws {
        for variable in Self.flags {
            let value = try #require(Self.nonDefault[variable.flag])
            let fromEnvironment = EnvironmentFallback.arguments([], for: ServeOptions.self, environment: [variable.name: value])
            #expect(fromEnvironment == [variable.flag, value])
            #expect(try ServeOptions.parse(fromEnvironment).configuration == ServeOptions.parse([variable.flag, value]).configuration)
        }
        let given = EnvironmentFallback.arguments(["--port=1"], for: ServeOptions.self, environment: ["CSV_ANALYZER_PORT": "2", "LOG_LEVEL": ""])
        #expect(given == ["--port=1"])
        #expect(Self.flags.first { $0.flag == "--log-level" }?.name == "LOG_LEVEL")
        #expect(Self.flags.first { $0.flag == "--mlflow-tracking-uri" }?.name == "MLFLOW_TRACKING_URI")
    }

    @Test func helpShowsEachVariableAndDefault() {
        let help = ServeOptions.helpMessage(columns: 400)
        for variable in Self.flags {
            #expect(help.contains(variable.flag))
            #expect(help.contains("[\(variable.name)]"))
            if let value = variable.defaultValue { #expect(help.contains("(default: \(value))"), "\(variable.flag)") }
        }
        for shown in ["127.0.0.1", "8000", "data", "100MiB", "20000", "info", "on", "patched", "30.0", "1000", "500"] {
            #expect(help.contains("(default: \(shown))"), "\(shown)")
        }
    }

    @Test func parseErrorsNameTheFlag() {
        for (flag, value) in [("--memory-limit", "lots"), ("--port", "abc"), ("--workers", "0"), ("--features-impl", "fast"),
                              ("--drift-window-age", "soon"), ("--drift-window-age", "0"), ("--graceful-timeout", "0"),
                              ("--log-level", "loud"), ("--prediction-log", "maybe"), ("--max-upload-size", "0")] {
            do {
                _ = try ServeOptions.parse([flag, value])
                Issue.record("\(flag) \(value) was accepted")
            } catch {
                #expect(ServeOptions.message(for: error).contains(flag), "\(ServeOptions.message(for: error))")
            }
        }
    }
}
