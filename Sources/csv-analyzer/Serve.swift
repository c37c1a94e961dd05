import AnalyzerServer
import ArgumentParser
import Foundation
import Logging

/// `csv-analyzer serve`: runs the web service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web service (JSON API, HTML pages, /metrics).",
        discussion: """
            Every flag falls back to an environment variable (shown in brackets), then to a default.
            Open http://HOST:PORT/ in a browser to upload, train and predict.
            """)

    @OptionGroup var options: ServeOptions

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let configuration = options.configuration
        if configuration.workers != nil {
            try await SupervisorMain.run(configuration)
        } else {
            let (app, _) = try await AnalyzerApplication.build(configuration)
            try await app.runService()
        }
    }
}
