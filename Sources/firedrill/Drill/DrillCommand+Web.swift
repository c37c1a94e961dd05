import DrillKit
import FiredrillSupport
import FiredrillWeb
import Foundation

/// `firedrill drill --web`: the drill's page live while it runs, then its report at the same address.
extension DrillCommand {
    /// Starts the page for `drill` when `--web` (or FIREDRILL_WEB) asks for it.
    func startWeb(for drill: Drill) async throws -> (DrillWatch, WebServer)? {
        guard web.enabled else { return nil }
        let settings: WebSettings
        do {
            settings = try web.settings()
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.usage
        }
        let watch = DrillWatch(title: drill.title, runbook: runbook)
        do {
            let server = try await DrillWebUI.start(watch: watch, settings: settings, logger: console.logger(label: "firedrill.web"))
            Console.line("web     \(server.url)")
            return (watch, server)
        } catch {
            Console.error("error: --web-port: cannot listen on \(settings.host):\(settings.port): \(error)")
            throw ExitCodes.runError
        }
    }

    /// Serves the finished drill's report until Ctrl-C, or `--autoquit` seconds.
    func serveReport(_ server: WebServer) async {
        Console.line("report  \(server.url) (Ctrl-C to quit)")
        let wait = Task {
            try await Task.sleep(for: .seconds(web.autoquit.map { max(0, $0) } ?? Int.max / 1_000_000_000))
        }
        let watcher = SignalWatcher { _ in wait.cancel() }
        _ = await wait.result
        watcher.cancel()
        await server.stop()
    }
}
