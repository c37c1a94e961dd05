import Hummingbird

/// `/healthz` (the process answers), `/readyz` (the store answers) and `/metrics`.
struct HealthRoutes {
    let analyzer: Analyzer
    let supervisor: SupervisorClient?

    func register(on router: Router<BasicRequestContext>) {
        router.get("healthz") { _, _ in try Responses.json(["status": "ok"]) }
        router.get("readyz") { _, _ in
            do {
                try await analyzer.store.ping()
                return try Responses.json(["status": "ready"])
            } catch {
                analyzer.metrics.storeErrors.increment()
                return try Responses.json(["status": "not ready", "reason": "store unavailable: \(error)"], status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            if supervisor == nil {
                // Expired faults leave `csv_analyzer_fault_active` now, not at the next expiry tick.
                analyzer.runtime.faults.expire()
            }
            let text = try await supervisor?.metrics() ?? analyzer.metrics.render(retained: analyzer.retainedBytes())
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}
