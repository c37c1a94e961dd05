import AnalyzerAPI
import FiredrillRouting
import Foundation
import Hummingbird
import NIOCore

/// The supervisor's unix-socket server: workers report ready and ask to recycle, fetch the merged
/// `/metrics` and the faults; the admin API relayed by workers lands here.
enum SupervisorControlRoutes {
    static func router(_ supervisor: Supervisor, token: String?) -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: ErrorMiddleware(logger: supervisor.logger, errorLog: nil))
        router.get("internal/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: await supervisor.metricsText())))
        }
        router.post("internal/ready") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            await supervisor.workerReady(try JSONDecoder().decode(WorkerHello.self, from: Data(buffer: body)))
            return Responses.noContent()
        }
        router.post("internal/recycle") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            let hello = try JSONDecoder().decode(WorkerHello.self, from: Data(buffer: body))
            await supervisor.inBackground { await supervisor.recycle(hello) }
            return Responses.noContent()
        }
        router.get("internal/faults") { _, _ in try Responses.json(supervisor.faults.active()) }
        AdminRoutes(backend: SupervisorAdminBackend(supervisor: supervisor), token: token).register(on: router)
        // Workers relay /admin/** here: an unknown admin path or method gets the same JSON 404/405.
        router.add(middleware: UnmatchedRouteMiddleware(routes: router.routes) { throw APIError($0) })
        return router
    }
}
