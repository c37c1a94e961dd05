import AnalyzerCore
import AnalyzerStore
import Foundation
import Hummingbird

/// Model monitoring in the pages: drift, live quality, versions and runs on the model page; the
/// `/runs` page; retrain and serve buttons.
extension HTMLRoutes {
    func registerMonitoring(on router: Router<BasicRequestContext>) {
        router.get("runs") { _, _ in try await runsPage() }
        router.post("models/{id}/retrain") { _, context in
            let id = try context.parameters.require("id")
            do {
                let record = try await analyzer.retrain(id, dataset: nil)
                return Responses.redirect(to: "/models/\(record.id)")
            } catch let failure as AnalyzerError {
                let error = APIError(failure)
                throw HTMLError(error: error, html: errorPage(error))
            }
        }
        router.post("models/{id}/serve") { _, context in
            let id = try context.parameters.require("id")
            do {
                _ = try await analyzer.serve(id)
                return Responses.redirect(to: "/models/\(id)")
            } catch let failure as AnalyzerError {
                let error = APIError(failure)
                throw HTMLError(error: error, html: errorPage(error))
            }
        }
    }

    /// The model page's `monitoring` section: drift, live quality, versions, runs.
    func monitoringContext(_ record: ModelRecord) async -> [String: Any] {
        var context: [String: Any] = ["id": record.id, "ready": record.status == .ready]
        if record.status == .ready {
            do {
                let report = try await analyzer.driftReport(record.id)
                context["drift"] = [
                    "windowSize": report.windowSize, "capacity": report.windowCapacity,
                    "age": report.windowMaxAgeSeconds.map { PageFormat.number($0) + " s" } ?? "no limit",
                    "psiMax": PageFormat.number(report.maxPSI), "verdict": report.verdict.rawValue,
                    "features": report.features.map { f in
                        ["name": f.feature, "kind": f.kind, "psi": f.psi.map { String(format: "%.4f", $0) } ?? "–",
                         "verdict": f.verdict.rawValue, "bins": f.bins.count, "live": f.actualTotal] as [String: Any]
                    },
                ] as [String: Any]
            } catch let failure as AnalyzerError {
                let error = APIError(failure)
                context["driftUnavailable"] = error.message
            } catch {
                context["driftUnavailable"] = "\(error)"
            }
            if let live = try? await analyzer.liveQuality(record.id) {
                var rows: [[String: String]] = []
                if record.task == ModelTask.classification.rawValue {
                    rows.append(["name": "accuracy", "live": PageFormat.number(live.accuracy), "test": PageFormat.number(live.test?.classification?.accuracy)])
                    rows.append(["name": "macro F1", "live": PageFormat.number(live.f1), "test": PageFormat.number(live.test?.classification?.macroF1)])
                } else {
                    rows.append(["name": "MAE", "live": PageFormat.number(live.mae), "test": PageFormat.number(live.test?.regression?.mae)])
                    rows.append(["name": "R²", "live": PageFormat.number(live.r2), "test": PageFormat.number(live.test?.regression?.r2)])
                }
                context["live"] = ["labelled": live.labelled, "window": live.window, "rows": rows, "hasLabels": live.labelled > 0] as [String: Any]
            }
        }
        if let versions = try? await analyzer.versions(name: record.name) {
            context["versions"] = versions.entries.map { v in
                ["version": v.version, "model": v.model, "status": v.status, "served": v.served,
                 "score": PageFormat.number(v.score), "created": v.createdAt, "isThis": v.model == record.id,
                 "canServe": v.status == ModelStatus.ready.rawValue && !v.served] as [String: Any]
            }
        }
        if let runs = try? await analyzer.runs(model: nil, limit: 500) {
            context["runs"] = runs.filter { $0.modelName == record.name }.prefix(10).map(Self.runRow)
        }
        return context
    }

    static func runRow(_ run: RunRecord) -> [String: Any] {
        let metrics = (try? JSON.decode([String: Double].self, from: run.metricsJSON)) ?? [:]
        let headline = ["accuracy", "f1_macro", "r2", "mae"].compactMap { key in metrics[key].map { "\(key) \(PageFormat.number($0))" } }
        return [
            "id": run.id, "model": run.modelId, "name": run.modelName, "version": run.modelVersion.map(String.init) ?? "–",
            "status": run.status.rawValue, "error": run.error ?? "", "metrics": headline.joined(separator: " · "),
            "dataset": run.datasetName, "datasetId": run.datasetId, "sha": String(run.datasetSHA256.prefix(12)),
            "rows": run.datasetRows, "columns": run.datasetColumns, "seconds": String(format: "%.3f", run.durationSeconds),
            "started": Timestamps.iso(run.startedAt), "artifact": run.artifactPath ?? "",
            "mlflow": run.mlflowStatus.map { status in
                status == .logged ? "logged (\(run.mlflowRunId ?? ""))" : status.rawValue + (run.mlflowError.map { ": \($0)" } ?? "")
            } ?? "off",
        ]
    }

    func runsPage() async throws -> Response {
        let runs = try await analyzer.runs(model: nil, limit: 200)
        return render("runs", title: "Training runs", [
            "runs": runs.map(Self.runRow), "hasRuns": !runs.isEmpty,
            "mlflow": analyzer.monitoring.settings.mlflowTrackingURI ?? "",
        ])
    }
}
