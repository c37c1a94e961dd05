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
}

/// A non-empty environment variable.
func env(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
}

