import AnalyzerServer
import ArgumentParser
import Foundation
import Logging

/// `csv-analyzer`: the CSV-analysis and prediction service that Firedrill load-tests and breaks.
@main
struct CSVAnalyzer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv-analyzer",
        abstract: "Upload CSV datasets, train classification and regression models, serve predictions.",
        subcommands: [Serve.self, Migrate.self, Worker.self],
        defaultSubcommand: Serve.self)

    /// Parses the command line with each option's environment variable as its fallback.
    static func main() async {
        await main(withEnvironment(Array(CommandLine.arguments.dropFirst())))
    }

    /// `arguments` plus the environment's values for the options of the subcommand they run.
    static func withEnvironment(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        switch arguments.first {
        case "migrate": EnvironmentFallback.arguments(arguments, for: Migrate.self, environment: environment)
        case "worker", "help": arguments
        default: EnvironmentFallback.arguments(arguments, for: ServeOptions.self, environment: environment)
        }
    }
}
