import AnalyzerCore
import Foundation
import Hummingbird

/// The model-monitoring API: drift, feedback and live quality.
struct MonitoringRoutes {
    let analyzer: Analyzer

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api")
        api.get("models/{id}/drift") { _, context in
            let id = try context.parameters.require("id")
            let report = try await analyzer.driftReport(id)
            return try Responses.json(DriftDTO(model: id, report: report, minimumRows: analyzer.monitoring.settings.driftMinimumRows))
        }
        api.post("models/{id}/feedback") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 16 << 20, flag: nil)
            let items = try FeedbackItem.decode(Data(buffer: body))
            let (accepted, live) = try await analyzer.submitFeedback(id, items: items)
            return try Responses.json(FeedbackResponse(model: id, accepted: accepted, live: live))
        }
        api.get("models/{id}/live") { _, context in
            try Responses.json(try await analyzer.liveQuality(try context.parameters.require("id")))
        }
    }

    struct FeedbackResponse: Encodable {
        let model: String
        let accepted: Int
        let live: LiveQualityReport
    }
}
