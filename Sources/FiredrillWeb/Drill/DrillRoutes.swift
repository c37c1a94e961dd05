import DrillKit
import Foundation
import Hummingbird
import Logging

/// `firedrill drill --web`: the drill's page (timeline, current step, alert states, charts) live, and
/// once the drill has ended the same address serves its report.
public enum DrillWebUI {
    /// Serves `watch` per `settings` on a thread of its own; returns once listening.
    public static func start(watch: DrillWatch, settings: WebSettings, logger: Logger) async throws -> WebServer {
        try await WebServer.start(settings: settings, logger: logger) { addRoutes(to: $0, watch, closing: $1) }
    }

    static func addRoutes(to router: Router<BasicRequestContext>, _ w: DrillWatch, closing: WebClosing) {
        router.get("/") { _, _ -> Response in
            if let journal = w.journal {
                return WebResponses.text(DrillHTMLReport.render(journal), type: "text/html; charset=utf-8")
            }
            return WebResponses.bytes(WebAssets.drillPage, type: "text/html; charset=utf-8")
        }
        router.get("/drill/live") { _, _ in WebResponses.json(w.frame()) }
        router.get("/stream") { _, _ in
            // The drill samples the service every second, so every frame is new.
            EventStream.response(interval: 1, closing: closing) {
                let frame = w.frame()
                let data = (try? WebResponses.encoder.encode(frame)) ?? Data()
                return .data(String(decoding: data, as: UTF8.self))
            }
        }
        router.get("/report") { _, _ -> Response in
            guard let journal = w.journal else { return notYet() }
            return WebResponses.text(DrillHTMLReport.render(journal), type: "text/html; charset=utf-8")
        }
        router.get("/journal.json") { _, _ -> Response in
            guard let journal = w.journal, let data = try? JournalJSON.encode(journal) else { return notYet() }
            return WebResponses.bytes(data, type: "application/json")
        }
        router.get("/junit.xml") { _, _ -> Response in
            guard let journal = w.journal else { return notYet() }
            return WebResponses.text(DrillJUnit.render(journal), type: "application/xml")
        }
    }

    static func notYet() -> Response {
        WebError(.notFound, code: "running", message: "the drill is still running: its report comes at the end").response(host: nil)
    }
}
