import AnalyzerServer
import ArgumentParser
import Logging

/// `csv-analyzer worker`: one worker process, started by `serve --workers N` (not by hand).
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one worker process (started by the supervisor of `serve --workers N`).", shouldDisplay: false)

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        try await WorkerMain.run()
    }
}
