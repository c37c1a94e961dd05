import ServiceLifecycle

/// Runs with the application and, on graceful shutdown (SIGTERM/SIGINT), lets trainings finish
/// and closes the store.
struct ShutdownService: Service {
    let analyzer: Analyzer

    func run() async throws {
        try? await gracefulShutdown()
        await analyzer.shutdown()
    }
}
