import FiredrillSupport
import Foundation
import LoadKit

/// Drives a prepared ``LoadRun`` for `load` and `replay`: Ctrl-C, the live view, the final summary,
/// the report files and the exit code.
enum RunDriver {
    /// Serves `--metrics-port` (until the reports are written, then for `--metrics-linger`), starts the
    /// run, shows the live view, waits for the end and writes the reports; `epilogue` is printed after
    /// the summary; `beforeStart` runs just before the run starts (`--start-at` waits there).
    static func drive(
        _ run: LoadRun, plan: LoadPlan, outputs: ReportFiles, metrics: MetricsOptions, onlySummary: Bool,
        epilogue: String = "", beforeStart: @Sendable () async throws -> Void = {}
    ) async throws {
        let exporter = try await metrics.start(for: run)
        do {
            try await drive(run, plan: plan, outputs: outputs, onlySummary: onlySummary, metricsURL: exporter?.url,
                            epilogue: epilogue, beforeStart: beforeStart)
        } catch {
            await MetricsOptions.stop(exporter, after: metrics.linger)
            throw error
        }
        await MetricsOptions.stop(exporter, after: metrics.linger)
    }

    private static func drive(
        _ run: LoadRun, plan: LoadPlan, outputs: ReportFiles, onlySummary: Bool, metricsURL: String?, epilogue: String,
        beforeStart: @Sendable () async throws -> Void
    ) async throws {
        let tty = isatty(STDOUT_FILENO) == 1
        let watcher = SignalWatcher { _ in
            Console.error("\nstopping (Ctrl-C again to stop at once)…")
            run.stop()
        }
        defer { watcher.cancel() }
        do {
            try await beforeStart()
            try await run.start()
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.runError
        }
        let live = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 2_000_000_000)
                if Task.isCancelled || onlySummary { break }
                let view = ConsoleReport.live(run.snapshot, tty: tty)
                let footer = metricsURL.map { "metrics on \($0)\n" } ?? ""
                Console.write(tty ? "\u{1B}[H\u{1B}[2J" + view + "\n" + footer : view + "\n")
            }
        }
        let summary = await run.wait()
        live.cancel()
        Console.write("\n" + ConsoleReport.final(summary) + epilogue)
        do {
            try outputs.finish(plan: plan, summary: summary)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.runError
        }
        if !summary.passed { throw ExitCodes.thresholdFailed }
    }
}
