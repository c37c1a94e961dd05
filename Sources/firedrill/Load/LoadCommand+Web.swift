import ArgumentParser
import FiredrillSupport
import FiredrillWeb
import Foundation
import LoadKit
import Synchronization

/// `firedrill load --web`: the test is started, changed and stopped from the page or Locust's REST API.
extension LoadCommand {
    /// Serves the web UI (and `--metrics-port`) until Ctrl-C (or, with `--autostart --autoquit N`, N seconds
    /// after the test ends), then exits 99 when the last test's thresholds failed. `--start-at` needs
    /// `--autostart`: the autostart waits for that moment, and the page cannot start a test before it.
    func runWeb(plan: LoadPlan, baseline: RunRecord?, outputs: ReportFiles) async throws {
        let settings: WebSettings
        let startAt: Date?
        do {
            settings = try web.server.settings()
            startAt = try segments.startDate()
            if startAt != nil && !web.autostart {
                throw ValidationError(
                    "--start-at with --web needs --autostart (the test then starts by itself at that moment); "
                        + "a test started from the page starts when you press Start")
            }
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.usage
        }
        var options = engine.options(logger: console.logger(label: "firedrill.load"))
        options.baseline = baseline
        options.coCorrection = reports.coCorrection
        let controller = LoadController(plan: plan, options: options, reports: outputs, startAt: startAt)
        let server: WebServer
        do {
            server = try await LoadWebUI.start(controller: controller, settings: settings, logger: console.logger(label: "firedrill.web"))
        } catch {
            Console.error("error: --web-port: cannot listen on \(settings.host):\(settings.port): \(error)")
            throw ExitCodes.runError
        }
        Console.write("web UI on \(server.url)\n")
        let exporter: MetricsExporter?
        do {
            exporter = try await metrics.start { controller.liveSnapshot }
        } catch {
            await server.stop()
            throw error
        }
        let (quit, quitting) = AsyncStream<Bool>.makeStream()
        let signals = Mutex(0)
        let starter = Mutex<Task<Void, Never>?>(nil)
        let watcher = SignalWatcher { _ in
            let count = signals.withLock { n in
                n += 1
                return n
            }
            starter.withLock { $0?.cancel() }
            controller.stop()
            if count == 1 {
                Console.error("\nstopping (Ctrl-C again to stop at once)…")
                Task {
                    if ["spawning", "running", "stopping"].contains(controller.stateName) { _ = await controller.waitForFinish() }
                    quitting.yield(true)
                }
            }
        }
        defer { watcher.cancel() }
        if web.autostart {
            if let startAt { Console.write("the test starts at \(startAt.formatted(.iso8601)) (--start-at)\n") }
            let autoquit = web.server.autoquit
            starter.withLock { $0 = Task {
                do {
                    try await controller.autostart()
                } catch {
                    Console.error("error: \(error)")
                    quitting.yield(false)
                    return
                }
                if let seconds = autoquit, seconds >= 0, !Task.isCancelled {
                    _ = await controller.waitForFinish()
                    try? await Task.sleep(for: .seconds(seconds))
                    quitting.yield(true)
                }
            } }
        }
        var ok = true
        for await value in quit {
            ok = value
            break
        }
        starter.withLock { $0?.cancel() }
        await server.stop()
        await MetricsOptions.stop(exporter, after: ok ? metrics.linger : 0)
        guard ok else { throw ExitCodes.runError }
        guard let summary = controller.lastSummary else { return }
        Console.write("\n" + ConsoleReport.final(summary))
        if !summary.passed { throw ExitCodes.thresholdFailed }
    }
}
