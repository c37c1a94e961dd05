import Foundation
import NIOHTTP1
import Testing

/// `serve --workers N` as real processes: restarts, live scaling, rolling restarts, recycling and
/// draining, all without failing a request. Bounded in time and request count; 127.0.0.1 only.
@Suite(.serialized) struct WorkerPoolTests {
    @Test func aDeadWorkerIsRestarted() async throws {
        let service = try PoolProcess(["--workers", "2"])
        defer { service.stop() }
        _ = try await service.waitForWorkers { ($0["alive"] as? Int) == 2 }
        let fault = try await service.request(.POST, "/admin/faults", json: ["type": "worker_crash", "ttl": "30s"], admin: true)
        #expect(fault.status == 201, "\(fault.text)")
        // The request that meets the fault loses its connection: its worker aborts.
        _ = try? await service.request(.GET, "/api/datasets")
        // Admin routes are never faulted: clear it so the replacement is not crashed in turn.
        _ = try await service.request(.DELETE, "/admin/faults", admin: true)
        let pool = try await service.waitForWorkers {
            ($0["alive"] as? Int) == 2 && (($0["restarts"] as? [String: Int])?["crash"] ?? 0) >= 1
        }
        #expect((pool["restarts"] as? [String: Int])?["crash"] ?? 0 >= 1)
        #expect(try await service.metric("csv_analyzer_worker_restarts_total", matching: "cause=\"crash\"") >= 1)
        #expect(try await service.request(.GET, "/healthz").status == 200)
    }

    @Test func aWorkerSIGKILLedFromOutsideCountsAsOOM() async throws {
        let service = try PoolProcess(["--workers", "2"])
        defer { service.stop() }
        let pool = try await service.waitForWorkers { ($0["alive"] as? Int) == 2 }
        let victim = try #require((pool["workers"] as? [[String: Any]])?.first?["pid"] as? Int)
        kill(pid_t(victim), SIGKILL)  // what the kernel's OOM killer does
        let after = try await service.waitForWorkers {
            ($0["alive"] as? Int) == 2 && (($0["restarts"] as? [String: Int])?["oom"] ?? 0) >= 1
        }
        #expect((after["restarts"] as? [String: Int])?["crash"] ?? 0 == 0)
        #expect(try await service.metric("csv_analyzer_worker_restarts_total", matching: "cause=\"oom\"") >= 1)
    }

    @Test func workersExitWhenTheSupervisorIsKilled() async throws {
        let service = try PoolProcess(["--workers", "2", "--graceful-timeout", "2"])
        defer { service.stop() }
        let pool = try await service.waitForWorkers { ($0["alive"] as? Int) == 2 }
        let pids = (pool["workers"] as? [[String: Any]] ?? []).compactMap { $0["pid"] as? Int }.map { pid_t($0) }
        #expect(pids.count == 2)
        kill(service.process.processIdentifier, SIGKILL)
        // Orphaned workers notice within a second, drain (at most --graceful-timeout) and exit.
        let deadline = Date().addingTimeInterval(15)
        var alive = pids
        while !alive.isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            alive = alive.filter(Self.isRunning)
        }
        #expect(alive.isEmpty, "workers \(alive) still run after their supervisor was killed")
        for pid in alive { kill(pid, SIGKILL) }
    }

    /// Whether `pid` runs (a zombie waiting for its new parent to reap it does not).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    @Test func liveScalingAndRollingRestartFailNoRequest() async throws {
        let service = try PoolProcess(["--workers", "2", "--graceful-timeout", "10"])
        defer { service.stop() }
        let model = try await service.irisModel()
        let load = PredictionLoad()
        let traffic = Task { await load.run(service, model: model) }
        try await Task.sleep(for: .milliseconds(500))

        _ = try await service.request(.POST, "/admin/workers", json: ["count": 3], admin: true)
        _ = try await service.waitForWorkers { ($0["busy"] as? Bool) == false && ($0["alive"] as? Int) == 3 }
        _ = try await service.request(.POST, "/admin/workers", json: ["count": 1], admin: true)
        _ = try await service.waitForWorkers { ($0["busy"] as? Bool) == false && ($0["alive"] as? Int) == 1 }
        let before = try await service.workers()
        _ = try await service.request(.POST, "/admin/workers/restart", json: ["features_impl": "patched"], admin: true)
        let after = try await service.waitForWorkers { ($0["busy"] as? Bool) == false && (($0["restarts"] as? [String: Int])?["rolling"] ?? 0) >= 1 }
        try await Task.sleep(for: .milliseconds(300))
        await load.stop()
        await traffic.value

        let pids = { (pool: [String: Any]) in Set((pool["workers"] as? [[String: Any]] ?? []).compactMap { $0["pid"] as? Int }) }
        #expect(pids(before).isDisjoint(with: pids(after)), "a rolling restart replaces every worker")
        let ok = await load.ok
        let failures = await load.failures
        #expect(ok > 100, "the load ran (\(ok) predictions)")
        #expect(failures.isEmpty, "failed requests during scaling/rolling restart: \(failures.prefix(5))")
    }

    @Test func workersAreRecycledAfterMaxRequests() async throws {
        let service = try PoolProcess(["--workers", "2", "--max-requests", "40", "--max-requests-jitter", "10"])
        defer { service.stop() }
        let model = try await service.irisModel()
        let load = PredictionLoad()
        await load.run(service, model: model, clients: 3, maxRequests: 400)
        _ = try await service.waitForWorkers { (($0["restarts"] as? [String: Int])?["max_requests"] ?? 0) >= 2 && ($0["busy"] as? Bool) == false }
        let failures = await load.failures
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test func sigtermDrainsInFlightRequestsThenExits() async throws {
        let service = try PoolProcess(["--workers", "2", "--graceful-timeout", "10"])
        let model = try await service.irisModel()
        _ = try await service.request(
            .POST, "/admin/faults", json: ["type": "latency", "latency_ms": 1500, "route": "/api/models/{id}/predict", "ttl": "60s"], admin: true)
        let inFlight = Task { try await service.request(.POST, "/api/models/\(model)/predict", json: PredictionLoad.row) }
        try await Task.sleep(for: .milliseconds(400))
        let status = service.stop()
        let reply = try await inFlight.value
        #expect(reply.status == 200, "the in-flight request finished: \(reply.text)")
        #expect(status == 0, "clean exit after draining\n\(service.log.suffix(2000))")
    }

    @Test func metricsAreOneViewOfAllWorkers() async throws {
        let service = try PoolProcess(["--workers", "2"])
        defer { service.stop() }
        let model = try await service.irisModel()
        let route = "route=\"/api/models/{id}/predict\",status=\"200\""
        var previous = -1.0
        for round in 1...4 {
            for _ in 0..<25 { _ = try await service.request(.POST, "/api/models/\(model)/predict", json: PredictionLoad.row) }
            let text = try await service.request(.GET, "/metrics").text
            let count = PoolProcess.value(of: "http_requests_total", labels: route, in: text)
            #expect(count == Double(25 * round), "every worker's predictions are counted once: \(count)")
            #expect(count >= previous, "counters never go backwards")
            previous = count
            #expect(PoolProcess.value(of: "csv_analyzer_workers", labels: "", in: text) == 2)
            #expect(text.contains("csv_analyzer_worker_resident_memory_bytes{worker=\"0\"}"))
            #expect(text.contains("csv_analyzer_worker_resident_memory_bytes{worker=\"1\"}"))
            #expect(PoolProcess.value(of: "csv_analyzer_resident_memory_bytes", labels: "", in: text) > 0)
            let families = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
            #expect(Set(families).count == families.count, "each metric family appears once")
        }
    }
}

/// A worker far over its share is killed and replaced, as an OOM killer would: here scaling up
/// shrinks every share below what a leaking worker already holds.
@Suite(.serialized) struct OOMKillTests {
    @Test func aWorkerFarOverItsShareIsReplaced() async throws {
        let service = try PoolProcess(["--workers", "1", "--memory-limit", "400MiB", "--features-impl", "legacy", "--leak-scale", "500"])
        defer { service.stop() }
        let model = try await service.irisModel()
        let batch = Array(repeating: PredictionLoad.row, count: 50)
        // ~40 MB retained: 50 rows × 4 features × 8 bytes × 500 copies × 50 requests.
        for _ in 0..<50 { _ = try await service.request(.POST, "/api/models/\(model)/predict", json: batch) }
        let before = try await service.metric("csv_analyzer_worker_resident_memory_bytes", matching: "worker=\"0\"")
        #expect(before > 60_000_000, "the leak is resident: \(before)")
        // Eight workers share 400 MiB: 50 MiB each, and worker 0 holds more than 1.25 × that.
        _ = try await service.request(.POST, "/admin/workers", json: ["count": 8], admin: true)
        let pool = try await service.waitForWorkers(timeout: 90) {
            (($0["restarts"] as? [String: Int])?["oom"] ?? 0) >= 1 && ($0["alive"] as? Int) == 8 && ($0["busy"] as? Bool) == false
        }
        #expect((pool["restarts"] as? [String: Int])?["oom"] ?? 0 >= 1)
        #expect(service.log.contains("far over its memory share"))
    }
}
