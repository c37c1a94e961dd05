import Foundation
import Testing
@testable import LoadKit

/// A generated log with bursts and gaps, replayed against a recording server at 1× and 10×: every
/// request arrives, in order, each within 5 ms of its schedule at p99 beyond what the machine itself
/// held things up by meanwhile. A probe thread asking to wake every 5 ms measures the longest stall
/// side by side: a stall delays every request due during it, so the replay's own lag may add one
/// stall and the server-side lateness two (sender and server). A loaded CI machine widens the bound;
/// on an idle one it stays within a millisecond or two of 5 ms. The release-build figures are in
/// BENCHMARKS.md (`Benchmarks/load/replay-lag.sh`). In scripts/test's TIMED list (runs apart).
@Suite(.serialized, .timeLimit(.minutes(2))) struct ReplayTimingTests {
    /// JSON lines with millisecond timestamps: bursts of 40 requests 10 ms apart, a trickle of 20 25 ms
    /// apart, and gaps of 400–900 ms (240 requests, so the p99 is not just the worst one); `stretch`
    /// multiplies every offset (10 for the 10× replay).
    static func burstyLog(stretch: Double) -> (text: String, count: Int) {
        var offsets: [Double] = []
        var t = 0.0
        for round in 0..<4 {
            for k in 0..<40 { offsets.append(t + Double(k) * 0.01) }
            t += 0.4 + 0.4 + Double(round) * 0.1
            for k in 0..<20 { offsets.append(t + Double(k) * 0.025) }
            t += 0.5 + 0.9 - Double(round) * 0.15
        }
        let routes = ["/api/items", "/api/items/7", "/api/orders", "/healthz"]
        let start = 1_796_292_000.0
        var lines: [String] = []
        for (seq, o) in offsets.enumerated() {
            let ms = ((start + o * stretch) * 1000).rounded()
            let method = seq % 7 == 3 ? "POST" : "GET"
            let body = method == "POST" ? #", "body": "{\"n\": \#(seq)}""# : ""
            lines.append(#"{"ts": \#(Int(ms)), "method": "\#(method)", "path": "\#(routes[seq % routes.count])?seq=\#(seq)"\#(body)}"#)
        }
        return (lines.joined(separator: "\n") + "\n", offsets.count)
    }

    func replay(speed: Double) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let (text, count) = Self.burstyLog(stretch: speed)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).jsonl").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try TrafficLogReader.read(path: path)
        #expect(log.requests.count == count && log.rejectedCount == 0)
        var settings = ReplaySettings()
        settings.speed = speed
        let replay = try ReplayPlan(log: log, host: server.url, settings: settings)
        let probe = SchedulingProbe()
        let summary = try await LoadRun(plan: replay.plan, options: RunOptions(tickInterval: 0.25)).run()
        let machine = probe.stop()
        let bound = 5 + machine

        // Every request arrives, each once, POST bodies intact.
        let received = server.requests
        #expect(received.count == count)
        #expect(summary.stats.total.requests == count && summary.stats.total.failures == 0)
        let seqs = received.compactMap { r in r.target.split(separator: "=").last.flatMap { Int($0) } }
        #expect(Set(seqs) == Set(0..<count))
        for r in received where r.method == "POST" {
            #expect(r.body == #"{"n": \#(r.target.split(separator: "=").last!)}"#)
        }

        // Order kept: a request never arrives before one scheduled more than the timing bound earlier
        // (two requests due within it may swap: one may need a new connection, the next reuse one).
        let offsets = replay.offsets
        var outOfOrder = 0
        var latest = -Double.infinity
        for s in seqs {
            if offsets[s] < latest - bound / 1000 { outOfOrder += 1 }
            latest = max(latest, offsets[s])
        }
        #expect(outOfOrder == 0)

        // The replay's own measure: offered = started, nothing dropped, lag p99 within the bound.
        let arrival = try #require(summary.stats.arrival)
        #expect(arrival.scheduled == count && arrival.started == count && arrival.dropped == 0)
        let lag = try #require(arrival.lag)
        #expect(lag.count == count)
        #expect(lag.p99Ms <= bound, "replay-reported schedule lag p99 \(lag.p99Ms) ms at \(speed)×; the machine's longest timer stall \(machine) ms")

        // The server's measure: arrival minus schedule, relative to the earliest request, p99 within 5 ms
        // beyond two stalls (the sender's thread and the server's thread can each be held up once).
        let deltas = zip(received, seqs).map { r, s in Double(r.arrival) / 1e9 - offsets[s] }
        let best = deltas.min() ?? 0
        let late = deltas.map { ($0 - best) * 1000 }.sorted()
        let p99 = late[min(late.count - 1, Int((Double(late.count) * 0.99).rounded(.up)) - 1)]
        #expect(p99 <= bound + machine, "server-side lateness p99 \(p99) ms at \(speed)× (max \(late.last ?? 0) ms); the machine's longest timer stall \(machine) ms")
    }

    @Test func realTime() async throws {
        try await replay(speed: 1)
    }

    @Test func tenTimesFaster() async throws {
        try await replay(speed: 10)
    }
}

/// A thread that asks to wake every 5 ms and records how late each wake-up is: what the machine's
/// scheduler adds to any timer right now, whatever the code under test does.
final class SchedulingProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var lateness: [Double] = []
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init() {
        Thread.detachNewThread { [self] in
            let start = DispatchTime.now().uptimeNanoseconds
            var k: UInt64 = 1
            while lock.withLock({ running }) {
                let target = start + k * 5_000_000
                let now = DispatchTime.now().uptimeNanoseconds
                if target > now { usleep(UInt32((target - now) / 1000)) }
                let late = Double(DispatchTime.now().uptimeNanoseconds &- target) / 1e6
                lock.withLock { lateness.append(max(0, late)) }
                k += 1
            }
            done.signal()
        }
    }

    /// Stops the probe; its latest wake-up, in milliseconds past the time asked for.
    func stop() -> Double {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { lateness.max() ?? 0 }
    }
}
