import AnalyzerAPI
import Foundation
import Hummingbird

/// The worker's side of the control channel (a unix socket only the supervisor uses).
struct WorkerInternalRoutes {
    let analyzer: Analyzer
    let drain: DrainSignal
    let recycle: RecycleCounter

    /// Settings the supervisor pushes when the pool changes.
    struct Settings: Codable {
        var memoryShareBytes: Int64?
        var maxRequests: Int?
        var maxRequestsJitter: Int?
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("internal/metrics") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: analyzer.metrics.renderRegistry())))
        }
        router.get("internal/memory") { _, _ in
            try Responses.json(analyzer.memoryReport(slot: analyzer.runtime.workerSlot ?? 0))
        }
        router.put("internal/faults") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            analyzer.runtime.faults.replace(with: try JSONDecoder().decode([ActiveFault].self, from: Data(buffer: body)))
            return Responses.noContent()
        }
        router.put("internal/settings") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let settings = try JSONDecoder().decode(Settings.self, from: Data(buffer: body))
            if let share = settings.memoryShareBytes { analyzer.runtime.budget.setShare(share) }
            if let max = settings.maxRequests { recycle.setLimit(max, jitter: settings.maxRequestsJitter ?? 0) }
            return Responses.noContent()
        }
        router.post("internal/drain") { _, _ in
            drain.fire()
            return Responses.noContent()
        }
        return router
    }
}
