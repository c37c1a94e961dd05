import ArgumentParser
import DrillKit
import Foundation

/// `firedrill drill generate`: an incident window in Prometheus → a runbook skeleton with a drill
/// that replays it.
struct DrillGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a runbook skeleton whose drill replays an incident window read from Prometheus.",
        discussion: """
            Reads the window --from..--to of job --service from Prometheus (query_range: request rate per route, \
            5xx ratio, p95, memory; the ALERTS series) and, when given, Alertmanager's alerts, and writes a \
            Markdown runbook: the alert timeline, the curves, the actions the service's metrics show (scaling, \
            rolling restarts, faults), and a drill block that replays the request rate as arrival-rate stages, \
            expects the alerts in the order and within the delays observed, and asserts the levels the window \
            recovered to. The record is embedded, so `firedrill drill RUNBOOK` reports a fidelity score.

            Times: RFC 3339 (2026-12-03T10:31:00Z) or Unix seconds. Exit codes: 0 written, 64 bad flags, \
            65 the window holds no data, 69 Prometheus/Alertmanager unreachable or the output not writable.
            """)

    @Option(help: ArgumentHelp("Prometheus' base URL, e.g. http://127.0.0.1:9090.", valueName: "url"))
    var prometheus: String

    @Option(help: ArgumentHelp("Alertmanager's base URL: its alerts that started in the window join the timeline.", valueName: "url"))
    var alertmanager: String?

    @Option(help: ArgumentHelp("Start of the incident window (RFC 3339 or Unix seconds).", valueName: "time"))
    var from: String

    @Option(help: ArgumentHelp("End of the incident window (RFC 3339 or Unix seconds).", valueName: "time"))
    var to: String

    @Option(help: ArgumentHelp("The service's Prometheus job label.", valueName: "job"))
    var service = "csv-analyzer"

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the runbook here (default: standard output).", valueName: "runbook.md"))
    var output: String?

    @Option(help: ArgumentHelp("The generated drill's time_scale, e.g. 1/30 (its durations are written in incident time).", valueName: "factor"))
    var timeScale = "1/30"

    @Option(help: ArgumentHelp("How fast the window itself ran: 1 for a real incident, 1/30 for a drill recorded at 1/30 "
                               + "(its seconds are then 30 incident seconds).", valueName: "factor"))
    var recordedTimeScale = "1"

    @Option(help: ArgumentHelp("The load scenario whose requests the replayed rate drives.", valueName: "file"))
    var scenario = "scenarios/predict-peak.yaml"

    @Option(help: ArgumentHelp("The runbook's title.", valueName: "text"))
    var title: String?

    func validate() throws {
        guard Self.time(from) != nil else { throw ValidationError("--from '\(from)' is not a time: use RFC 3339 (2026-12-03T10:31:00Z) or Unix seconds") }
        guard Self.time(to) != nil else { throw ValidationError("--to '\(to)' is not a time: use RFC 3339 (2026-12-03T10:31:00Z) or Unix seconds") }
        guard Self.time(to)! > Self.time(from)! else { throw ValidationError("--to (\(to)) must be after --from (\(from))") }
        guard TimeScale.parse(timeScale) != nil else { throw ValidationError("--time-scale must be a number in (0, 1] such as 1/30, got '\(timeScale)'") }
        guard TimeScale.parse(recordedTimeScale) != nil else {
            throw ValidationError("--recorded-time-scale must be a number in (0, 1] such as 1 or 1/30, got '\(recordedTimeScale)'")
        }
        for (flag, url) in [("--prometheus", prometheus), ("--alertmanager", alertmanager)] {
            guard let url else { continue }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ValidationError("\(flag) '\(url)' is not an http(s) URL")
            }
        }
    }

    mutating func run() async throws {
        let reader = IncidentReader(prometheus: PrometheusClient(baseURL: prometheus), alertmanager: alertmanager.map { AlertmanagerClient(baseURL: $0) },
                                    job: service)
        let reading: IncidentReader.Reading
        do {
            reading = try await reader.read(from: Self.time(from)!, to: Self.time(to)!,
                                            incidentSecondsPerSecond: 1 / TimeScale.parse(recordedTimeScale)!)
        } catch let error as ControlError where error.message.contains("holds no request") {
            Console.error("error: \(error.message)")
            throw ExitCodes.invalidScenario
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.runError
        }
        var options = DrillGenerator.Options()
        options.timeScale = TimeScale.parse(timeScale)!
        options.scenario = scenario
        options.title = title
        options.source = "Prometheus \(prometheus)" + (alertmanager.map { " and Alertmanager \($0)" } ?? "")
        let markdown: String
        do {
            markdown = try DrillGenerator(options: options).markdown(reading)
        } catch {
            Console.error("error: \(error)")
            throw ExitCodes.invalidScenario
        }
        guard let output else {
            print(markdown, terminator: "")
            return
        }
        do {
            try Data(markdown.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            Console.error("error: cannot write \(output): \(error.localizedDescription)")
            throw ExitCodes.runError
        }
        let alerts = reading.record.alertOrder
        Console.line("wrote \(output): \(alerts.isEmpty ? "no alert" : alerts.joined(separator: " → ")), "
                     + "\(Int(reading.record.duration)) s of incident time; run it with `firedrill drill \(output)`")
    }

    /// RFC 3339 (fractional seconds allowed) or Unix seconds.
    static func time(_ text: String) -> Date? {
        if let seconds = Double(text), seconds.isFinite, seconds > 0 { return Date(timeIntervalSince1970: seconds) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
