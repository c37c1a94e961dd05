import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import LoadKit

@Suite(.serialized, .timeLimit(.minutes(1))) struct MetricsExporterTests {
    // MARK: Rendering

    @Test func rendersHandBuiltSnapshot() throws {
        var get = EntryAccumulator()
        for micros: UInt64 in [500, 1000, 3000, 20_000] { get.record(micros: micros, bytes: 10, failed: false) }
        get.record(micros: 700_000, bytes: 10, failed: true)
        var post = EntryAccumulator()
        post.record(micros: 15_000_000, bytes: 0, failed: true)   // above the last bound: only in +Inf
        var odd = EntryAccumulator()
        odd.record(micros: 2000, bytes: 0, failed: false)
        let oddName = "say \"hi\"\\path\nnext"
        func entry(_ method: String, _ name: String, _ acc: EntryAccumulator) -> EntryStats {
            EntryStats(method: method, name: name, cumulative: acc, elapsed: 10, current: EntryAccumulator(),
                       currentSeconds: 1, window: nil)
        }
        var total = get
        total.add(post)
        total.add(odd)
        let snapshot = StatsSnapshot(
            timestamp: Date(), elapsed: 10, phase: .running, users: 7, usersByClass: ["U": 7],
            entries: [entry("GET", "predict", get), entry("POST", "predict", post), entry("GET", oddName, odd)],
            total: entry("", "Aggregated", total), failures: [], exceptions: [],
            arrival: ArrivalStats(scheduled: 100, started: 90, dropped: 10, offeredRate: 10, achievedRate: 9,
                                  currentTargetRate: 10),
            health: GeneratorHealth(threads: 1, cpuPercent: 5, cpuSeconds: 1, loopLagMs: 2.5, maxLoopLagMs: 4,
                                    warnings: [], saturated: false))

        let text = PrometheusText.render(snapshot)
        let exposition = try StrictExposition(text)
        #expect(exposition.value("firedrill_users") == 7)
        #expect(exposition.value("firedrill_requests_total", ["name": "predict", "method": "GET"]) == 5)
        #expect(exposition.value("firedrill_requests_total", ["name": "predict", "method": "POST"]) == 1)
        #expect(exposition.value("firedrill_failures_total", ["name": "predict", "method": "GET"]) == 1)
        #expect(exposition.value("firedrill_failures_total", ["name": "predict", "method": "POST"]) == 1)
        #expect(exposition.value("firedrill_failures_total", ["name": oddName, "method": "GET"]) == 0)
        #expect(!text.contains("Aggregated"))
        // Escaping: \\, \" and \n inside the label value, nothing raw.
        #expect(text.contains(#"name="say \"hi\"\\path\nnext""#))

        // One histogram per name, methods merged: 500 µs, 1 ms, 3 ms, 20 ms, 700 ms, 15 s.
        let buckets = exposition.buckets("firedrill_request_duration_seconds", name: "predict")
        let expected: [(String, Double)] = [
            ("0.001", 2), ("0.0025", 2), ("0.005", 3), ("0.01", 3), ("0.025", 4), ("0.05", 4), ("0.1", 4),
            ("0.25", 4), ("0.5", 4), ("1", 5), ("2.5", 5), ("5", 5), ("10", 5), ("+Inf", 6),
        ]
        #expect(buckets.map(\.le) == expected.map(\.0))
        #expect(buckets.map(\.count) == expected.map(\.1))
        #expect(exposition.value("firedrill_request_duration_seconds_count", ["name": "predict"]) == 6)
        let sum = try #require(exposition.value("firedrill_request_duration_seconds_sum", ["name": "predict"]))
        #expect(abs(sum - 15.7245) < 1e-9)
        #expect(exposition.buckets("firedrill_request_duration_seconds", name: oddName).map(\.count)
                == [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])

        #expect(exposition.value("firedrill_offered_rate") == 10)
        #expect(exposition.value("firedrill_achieved_rate") == 9)
        #expect(exposition.value("firedrill_event_loop_lag_seconds") == 0.0025)
        #expect(exposition.types == [
            "firedrill_users": "gauge", "firedrill_requests_total": "counter", "firedrill_failures_total": "counter",
            "firedrill_request_duration_seconds": "histogram", "firedrill_offered_rate": "gauge",
            "firedrill_achieved_rate": "gauge", "firedrill_event_loop_lag_seconds": "gauge",
        ])
    }

    /// promtool found on PATH (Debian's `prometheus` package installs it).
    static let promtool: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: promtool != nil, "promtool is not on PATH: cannot check the text with `promtool check metrics`"))
    func promtoolAcceptsTheText() throws {
        let promtool = try #require(Self.promtool)
        var acc = EntryAccumulator()
        acc.record(micros: 1234, bytes: 1, failed: true)
        let e = EntryStats(method: "POST", name: "/api/models/${id}/predict", cumulative: acc, elapsed: 1,
                           current: EntryAccumulator(), currentSeconds: 1, window: nil)
        let snapshot = StatsSnapshot(
            timestamp: Date(), elapsed: 1, phase: .running, users: 1, usersByClass: [:], entries: [e], total: e,
            failures: [], exceptions: [], arrival: nil,
            health: GeneratorHealth(threads: 1, cpuPercent: 0, cpuSeconds: 0, loopLagMs: 0, maxLoopLagMs: 0,
                                    warnings: [], saturated: false))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(PrometheusText.render(snapshot).utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(report)")
    }

    @Test func closedModelHasNoArrivalGauges() throws {
        let run = try LoadRun(plan: LoadPlan.single(
            url: "http://127.0.0.1:1/", load: .closed(users: 1, spawnRate: 1, runTime: nil)))
        let text = PrometheusText.render(run.snapshot)   // before start: empty but valid
        let exposition = try StrictExposition(text)
        #expect(exposition.value("firedrill_users") == 0)
        #expect(exposition.types["firedrill_offered_rate"] == nil)
        #expect(exposition.types["firedrill_request_duration_seconds"] == "histogram")
    }

    @Test func formatsNumbersAndEscapes() {
        #expect(PrometheusText.number(1) == "1")
        #expect(PrometheusText.number(0.0025) == "0.0025")
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(.nan) == "NaN")
        #expect(PrometheusText.escapeLabelValue(#"a"b\c"#) == #"a\"b\\c"#)
        #expect(PrometheusText.escapeLabelValue("x\ny") == #"x\ny"#)
        #expect(PrometheusText.escapeLabelValue("x\r\ny") == "x\r\\ny")
        #expect(PrometheusText.escapeLabelValue("plain /api/{id}") == "plain /api/{id}")
    }

    // MARK: Live

    @Test func servesLiveRunMetrics() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let failing = RequestSpec(name: "checked", method: "GET", path: Template(literal: "/json"),
                                  checks: Checks(bodyContains: ["not in the body"]))
        // Three tasks picked at random (a failed request ends its task, so not one sequence): ~60 requests.
        let tasks = [
            TaskSpec(name: "home", requests: [Plans.get("/json", name: "home")]),
            TaskSpec(name: "broken", requests: [Plans.get("/status/503", name: "broken")]),
            TaskSpec(name: "checked", requests: [failing]),
        ]
        var plan = LoadPlan(
            host: server.url, userClasses: [UserClassSpec(name: "U", wait: .constant(0.05), tasks: tasks)],
            load: .closed(users: 3, spawnRate: 1000, runTime: nil), stopTimeout: 30)
        plan.http.timeout = 30
        let run = try LoadRun(plan: plan, options: RunOptions(tickInterval: 0.2))
        let exporter = try await MetricsExporter.start(port: 0, run: run)
        #expect(exporter.port > 0)
        #expect(exporter.url == "http://127.0.0.1:\(exporter.port)/metrics")

        try await run.start()
        #expect(await waitUntil { run.snapshot.users == 3 && run.snapshot.total.requests > 0 })
        let during = try await Scrape.get(port: exporter.port, path: "/metrics")
        #expect(during.status == 200)
        #expect(during.headers["content-type"] == PrometheusText.contentType)
        let live = try StrictExposition(during.body)
        #expect(live.value("firedrill_users") == 3)
        #expect((live.value("firedrill_requests_total", ["name": "home", "method": "GET"]) ?? 0) > 0)

        // Stopped once every task has run, after the scrape above (a fixed run time could end before it
        // on a loaded machine, and the scrape would see 0 users).
        #expect(await waitUntil { ["home", "broken", "checked"].allSatisfy { name in
            run.snapshot.entries.contains { $0.name == name && $0.requests > 0 } } })
        run.stop()
        let summary = await run.wait()
        let after = try await Scrape.get(port: exporter.port, path: "/metrics")
        let final = try StrictExposition(after.body)
        #expect(final.value("firedrill_users") == 0)
        for name in ["home", "broken", "checked"] {
            let e = try #require(summary.entry(name), "\(name)")
            let labels = ["name": name, "method": "GET"]
            #expect(final.value("firedrill_requests_total", labels) == Double(e.requests), "\(name)")
            #expect(final.value("firedrill_failures_total", labels) == Double(e.failures), "\(name)")
            // Counters are cumulative over the run: never below what was scraped during it.
            #expect((live.value("firedrill_requests_total", labels) ?? 0) <= Double(e.requests))
            let buckets = final.buckets("firedrill_request_duration_seconds", name: name)
            #expect(buckets.count == 14)
            #expect(buckets.last?.le == "+Inf")
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.count <= $1.count }, "\(buckets)")
            #expect(buckets.last?.count == Double(e.requests))
            #expect(final.value("firedrill_request_duration_seconds_count", ["name": name]) == Double(e.requests))
            let sum = try #require(final.value("firedrill_request_duration_seconds_sum", ["name": name]))
            #expect(abs(sum - e.avgMs * Double(e.requests) / 1000) < 1e-6)
        }
        #expect(summary.entry("home")?.failures == 0)
        #expect(final.value("firedrill_failures_total", ["name": "broken", "method": "GET"])
                == Double(summary.entry("broken")?.requests ?? -1))
        #expect((final.value("firedrill_failures_total", ["name": "checked", "method": "GET"]) ?? 0) > 0)
        #expect(final.types["firedrill_event_loop_lag_seconds"] == "gauge")

        let missing = try await Scrape.get(port: exporter.port, path: "/other")
        #expect(missing.status == 404)
        let post = try await Scrape.get(port: exporter.port, path: "/metrics", method: "POST")
        #expect(post.status == 405)
        await exporter.stop()
        await #expect(throws: (any Error).self) { try await Scrape.get(port: exporter.port, path: "/metrics") }
    }

    @Test func keepsConnectionsAliveAndReportsBusyPorts() async throws {
        let run = try LoadRun(plan: LoadPlan.single(
            url: "http://127.0.0.1:1/", load: .closed(users: 1, spawnRate: 1, runTime: nil)))
        let exporter = try await MetricsExporter.start(port: 0, run: run)
        // Two requests on one connection (the second asks to close): two answers.
        let raw = try await Scrape.raw(
            port: exporter.port,
            "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(raw.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
        #expect(raw.components(separatedBy: "# TYPE firedrill_users gauge").count == 3)
        await #expect(throws: (any Error).self) {
            let clash = try await MetricsExporter.start(port: exporter.port, run: run)
            await clash.stop()
        }
        await exporter.stop()
    }
}

// MARK: Helpers

/// A parsed exposition: `# TYPE`s and samples; throws on anything malformed or a family typed twice.
private struct StrictExposition {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(_ text: String) throws {
        #expect(text.hasSuffix("\n"))
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4 else { throw Malformed(description: "bad TYPE line: \(line)") }
                let family = String(parts[2])
                guard types[family] == nil else { throw Malformed(description: "\(family) typed twice") }
                guard ["counter", "gauge", "histogram"].contains(parts[3]) else {
                    throw Malformed(description: "bad type: \(line)")
                }
                types[family] = String(parts[3])
            } else if line.hasPrefix("# HELP ") {
                continue
            } else if line.hasPrefix("#") || line.isEmpty {
                throw Malformed(description: "unexpected line: '\(line)'")
            } else {
                let sample = try Self.parseSample(String(line))
                guard types[Self.family(of: sample.name, in: types)] != nil else {
                    throw Malformed(description: "sample before its # TYPE: \(line)")
                }
                samples.append(sample)
            }
        }
    }

    static func family(of name: String, in types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return name
    }

    static func parseSample(_ line: String) throws -> Sample {
        var chars = Array(line)
        var i = 0
        var name = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == ":" {
            name.append(chars[i])
            i += 1
        }
        guard !name.isEmpty else { throw Malformed(description: "no metric name: \(line)") }
        var labels: [String: String] = [:]
        if i < chars.count, chars[i] == "{" {
            i += 1
            while i < chars.count, chars[i] != "}" {
                var key = ""
                while i < chars.count, chars[i] != "=" {
                    key.append(chars[i])
                    i += 1
                }
                guard i + 1 < chars.count, chars[i + 1] == "\"" else { throw Malformed(description: "bad label: \(line)") }
                i += 2
                var value = ""
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\" {
                        guard i + 1 < chars.count else { throw Malformed(description: "dangling escape: \(line)") }
                        switch chars[i + 1] {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw Malformed(description: "bad escape: \(line)")
                        }
                        i += 2
                    } else {
                        value.append(chars[i])
                        i += 1
                    }
                }
                guard i < chars.count else { throw Malformed(description: "unterminated label: \(line)") }
                i += 1
                guard labels[key] == nil else { throw Malformed(description: "duplicate label: \(line)") }
                labels[key] = value
                if i < chars.count, chars[i] == "," { i += 1 }
            }
            guard i < chars.count else { throw Malformed(description: "unterminated labels: \(line)") }
            i += 1
        }
        guard i < chars.count, chars[i] == " " else { throw Malformed(description: "no value: \(line)") }
        chars.removeFirst(i + 1)
        let text = String(chars)
        let value: Double? = switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
        guard let value else { throw Malformed(description: "bad value: \(line)") }
        return Sample(name: name, labels: labels, value: value)
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { $0.name == name && $0.labels == labels }
        return matching.count == 1 ? matching[0].value : nil
    }

    func buckets(_ family: String, name: String) -> [(le: String, count: Double)] {
        samples.filter { $0.name == family + "_bucket" && $0.labels["name"] == name }
            .map { ($0.labels["le"] ?? "?", $0.value) }
    }
}

/// A bare HTTP/1.1 client for scrapes: one request, `Connection: close`, read to EOF.
private enum Scrape {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func get(port: Int, path: String, method: String = "GET") async throws -> Response {
        let text = try await raw(port: port, "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        guard let split = text.range(of: "\r\n\r\n") else { throw StrictExposition.Malformed(description: "no head: \(text)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    static func raw(port: Int, _ request: String) async throws -> String {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(2))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: request))
        try await channel.closeFuture.get()
        return received.bytes.withLock { String(buffer: $0) }
    }

    private final class Received: Sendable {
        let bytes = Mutex(ByteBuffer())
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: Received

        init(received: Received) {
            self.received = received
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            _ = received.bytes.withLock { $0.writeBuffer(&incoming) }
        }
    }
}
