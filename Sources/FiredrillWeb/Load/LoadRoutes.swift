import Foundation
import Hummingbird
import LoadKit
import Logging

/// The load test's web UI: the page, Locust's REST endpoints (same paths, fields and JSON/CSV shapes),
/// the live stream and the report downloads.
public enum LoadWebUI {
    /// Serves `controller` per `settings` on a thread of its own; returns once listening.
    public static func start(controller: LoadController, settings: WebSettings, logger: Logger) async throws -> WebServer {
        try await WebServer.start(settings: settings, logger: logger) { addRoutes(to: $0, controller, closing: $1) }
    }

    static func addRoutes(to router: Router<BasicRequestContext>, _ c: LoadController, closing: WebClosing) {
        router.get("/") { _, _ in WebResponses.bytes(WebAssets.loadPage, type: "text/html; charset=utf-8") }
        router.get("/plan") { _, _ in WebResponses.json(PlanDefaults(c.basePlan)) }
        router.post("/swarm") { request, _ -> Response in
            do throws(WebError) {
                let form = try SwarmForm(fields: try await FormFields.read(request))
                return WebResponses.json(try await c.swarm(form))
            } catch {
                return error.response(host: c.plan.host)
            }
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/stop", method: method) { _, _ in
                c.stop()
                return WebResponses.json(Acknowledgement(message: "Test stopped"))
            }
            router.on("/stats/reset", method: method) { _, _ in
                c.resetStats()
                return WebResponses.text("ok", type: "text/html; charset=utf-8")
            }
        }
        router.get("/stats/requests") { _, _ in WebResponses.json(c.locustStats()) }
        router.get("/stats/requests/csv") { _, _ in WebResponses.csv(c.statsCSV(), prefix: "requests") }
        router.get("/stats/failures/csv") { _, _ in WebResponses.csv(c.failuresCSV(), prefix: "failures") }
        router.get("/exceptions/csv") { _, _ in WebResponses.csv(c.exceptionsCSV(), prefix: "exceptions") }
        router.get("/stats/requests_full_history/csv") { _, _ in
            WebResponses.csv(c.historyCSV(), prefix: "requests_full_history")
        }
        router.get("/exceptions") { _, _ in
            WebResponses.json(LocustExceptions(c.snapshot?.exceptions ?? []))
        }
        router.get("/stats/history") { _, _ in WebResponses.json(c.chartPoints) }
        router.get("/stats/report") { request, _ -> Response in
            guard let html = await c.htmlReport() else { return notYet(c) }
            let download = request.uri.queryParameters["download"] != nil
            let name = download ? "report_\(Int(Date().timeIntervalSince1970)).html" : nil
            return WebResponses.text(html, type: "text/html; charset=utf-8", download: name)
        }
        router.get("/stats/summary.json") { _, _ -> Response in
            guard let data = await c.jsonReport() else { return notYet(c) }
            var r = WebResponses.bytes(data, type: "application/json")
            r.headers[.contentDisposition] = "attachment;filename=summary.json"
            return r
        }
        router.get("/stats/junit.xml") { _, _ -> Response in
            guard let xml = await c.junitReport() else { return notYet(c) }
            return WebResponses.text(xml, type: "application/xml", download: "junit.xml")
        }
        router.get("/stream") { _, _ in
            let last = LastSeq()
            return EventStream.response(interval: 0.5, closing: closing) {
                guard let frame = c.frame(after: last.value) else { return .unchanged }
                last.value = frame.seq
                let data = (try? WebResponses.encoder.encode(frame)) ?? Data()
                return .data(String(decoding: data, as: UTF8.self))
            }
        }
        router.get("/stats/live") { _, _ in WebResponses.json(c.frame(after: nil)) }
    }

    static func notYet(_ c: LoadController) -> Response {
        WebError(.notFound, code: "no_run", message: "no test has run yet: start one first").response(host: c.plan.host)
    }
}

/// The last frame a stream sent (one stream's handler only touches it, one call at a time).
final class LastSeq: @unchecked Sendable {
    var value: Int?
}
