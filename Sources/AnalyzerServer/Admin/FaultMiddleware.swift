import Foundation
import Hummingbird
import Logging

/// Applies injected `latency`, `cpu_burn`, `errors` and `worker_crash` faults to matching
/// requests. Health, metrics, admin and internal routes are never affected.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let faults: FaultRegistry
    let logger: Logger

    static func exempt(_ path: String) -> Bool {
        path == "/metrics" || path == "/healthz" || path == "/readyz" || path.hasPrefix("/admin") || path.hasPrefix("/internal")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let active = faults.active()
        let path = request.uri.path
        guard !active.isEmpty, !Self.exempt(path) else { return try await next(request, context) }
        for fault in active where fault.matches(path: path) && fault.fires() {
            switch fault.type {
            case .latency:
                let jitter = fault.jitterMs ?? 0
                let ms = max(0, (fault.latencyMs ?? 0) + (jitter > 0 ? Double.random(in: -jitter...jitter) : 0))
                try await Task.sleep(for: .milliseconds(ms))
            case .cpuBurn:
                let end = ContinuousClock.now + .milliseconds(fault.burnMs ?? 0)
                var x = 0.0
                while ContinuousClock.now < end { for i in 0..<1000 { x += sqrt(Double(i)) } }
                if x < 0 { logger.trace("unreachable") }
            case .errors:
                let status = HTTPResponse.Status(code: fault.status ?? 500)
                throw APIError(status, code: "injected_fault", "fault '\(fault.id)' (errors) injected through the admin API")
            case .workerCrash:
                logger.critical("worker_crash fault: aborting this process", metadata: ["fault": "\(fault.id)", "pid": "\(getpid())"])
                abort()
            case .featureLeak, .modelDegrade:
                break
            }
        }
        return try await next(request, context)
    }
}
