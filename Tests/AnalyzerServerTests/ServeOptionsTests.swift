import ArgumentParser
import Foundation
import Testing

@testable import AnalyzerServer

/// `csv-analyzer serve`'s flags are declared once (``ServeOptions``): each reaches the
/// configuration and a worker, falls back to its environment variable and shows both in `--help`.
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
        "--max-columns": "50", "--max-batch-rows": "20", "--header-timeout": "3s", "--body-timeout": "1m", "--idle-timeout": "5s",
    ]

    static var flags: [EnvironmentFallback.Variable] { EnvironmentFallback.variables(of: ServeOptions.self) }

    @Test func everyFlagReachesTheConfigurationAndAWorker() throws {
        #expect(Self.flags.count == 27)
        #expect(Set(Self.flags.map(\.flag)) == Set(Self.nonDefault.keys), "every flag needs a non-default value above")
        let defaults = try ServeOptions.parse([]).configuration
        #expect(defaults == ServerConfiguration())
        for variable in Self.flags {
            let value = try #require(Self.nonDefault[variable.flag])
            let configuration = try ServeOptions.parse([variable.flag, value]).configuration
            #expect(configuration != defaults, "\(variable.flag) \(value) changes nothing in ServerConfiguration")
        }
        let all = try ServeOptions.parse(Self.nonDefault.flatMap { [$0.key, $0.value] }).configuration
        let spec = WorkerSpec(configuration: all, slot: 1, generation: 2, runDirectory: "/tmp/run", memoryShareBytes: 1 << 20)
        let handedOff = try JSONDecoder().decode(WorkerSpec.self, from: try JSONEncoder().encode(spec))
        #expect(handedOff == spec)
        #expect(handedOff.configuration == all)
        #expect(all.monitoring.driftWindowAge == 5400)
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
        #expect(help.contains("(default: 127.0.0.1)"))
    }

    @Test func parseErrorsNameTheFlag() {
        for (flag, value) in [("--memory-limit", "lots"), ("--port", "abc"), ("--workers", "0"), ("--features-impl", "fast"),
                              ("--drift-window-age", "soon")] {
            do {
                _ = try ServeOptions.parse([flag, value])
                Issue.record("\(flag) \(value) was accepted")
            } catch {
                #expect(ServeOptions.message(for: error).contains(flag), "\(ServeOptions.message(for: error))")
            }
        }
    }
}
