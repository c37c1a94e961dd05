import ArgumentParser
import FiredrillSupport
import FiredrillWeb
import Foundation
import LoadKit
import Synchronization

/// `firedrill load --web`: the test is started, changed and stopped from the page or Locust's REST API.
extension LoadCommand {
    /// Serves the web UI until Ctrl-C (or, with `--autostart --autoquit N`, N seconds after the test ends),
    /// then exits 99 when the last test's thresholds failed.
    func runWeb(plan: LoadPlan, baseline: RunRecord?, outputs: ReportFiles) async throws {
        let settings: WebSettings
        do {
            settings = try web.server.settings()
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.usage
        }
        if metrics.metricsPort != nil {
            Console.error("warning: --metrics-port is not served with --web (the page has the live numbers)")
        }
        var options = engine.options(logger: console.logger(label: "firedrill.load"))
        options.baseline = baseline
        let controller = LoadController(plan: plan, options: options, reports: outputs)
        let server: WebServer
        do {
            server = try await LoadWebUI.start(controller: controller, settings: settings, logger: console.logger(label: "firedrill.web"))
        } catch {
            Console.error("error: --web-port: cannot listen on \(settings.host):\(settings.port): \(error)")
            throw ExitCodes.runError
        }
        Console.write("web UI on \(server.url)\n")
        let (quit, quitting) = AsyncStream<Void>.makeStream()
        let signals = Mutex(0)
        let watcher = SignalWatcher { _ in
            let count = signals.withLock { n in
                n += 1
                return n
            }
            controller.stop()
            if count == 1 {
                Console.error("\nstopping (Ctrl-C again to stop at once)…")
                Task {
                    if ["spawning", "running", "stopping"].contains(controller.stateName) { _ = await controller.waitForFinish() }
                    quitting.yield()
                }
            }
        }
        defer { watcher.cancel() }
        if web.autostart {
            do {
                try await controller.swarm(SwarmForm(fields: [:]))
            } catch {
                Console.error("error: \(error)")
                await server.stop()
                throw ExitCodes.runError
            }
            if let seconds = web.server.autoquit, seconds >= 0 {
                Task {
                    _ = await controller.waitForFinish()
                    try? await Task.sleep(for: .seconds(seconds))
                    quitting.yield()
                }
            }
        }
        for await _ in quit { break }
        await server.stop()
        guard let summary = controller.lastSummary else { return }
        Console.write("\n" + ConsoleReport.final(summary))
        if !summary.passed { throw ExitCodes.thresholdFailed }
    }
}
