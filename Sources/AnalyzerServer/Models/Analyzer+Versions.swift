import AnalyzerCore
import AnalyzerStore
import Foundation

/// Model versions: retraining under the same name, the served version.
extension Analyzer {
    /// Retrains model `id` with the same settings (optionally on another dataset) as a new version
    /// under the same name.
    func retrain(_ id: String, dataset newDataset: String?) async throws -> ModelRecord {
        let record = try await model(id)
        let config = try JSON.decode(TrainingConfig.self, from: record.configJSON)
        var request = TrainRequest(dataset: newDataset ?? record.datasetId, target: config.target, algorithm: config.algorithm.rawValue)
        request.task = config.task.rawValue
        request.params = config.params
        request.testFraction = config.testFraction
        request.seed = config.seed
        // Explicit test rows index the old dataset: keep them only when the data is the same.
        request.testIndices = newDataset == nil || newDataset == record.datasetId ? config.testIndices : nil
        request.name = record.name
        _ = try await ensureVersions(name: record.name)
        return try await train(request)
    }

    /// The versions of model `id`'s name and which one is served.
    func versions(of id: String) async throws -> ModelVersions {
        let record = try await model(id)
        return try await versions(name: record.name)
    }

    /// Marks model `id` as the served version of its name.
    func serve(_ id: String) async throws -> ModelVersions {
        let record = try await model(id)
        guard record.status == .ready else {
            throw AnalyzerError(.conflict, code: "model_not_ready", "model '\(id)' is \(record.status.rawValue); only a ready model can be served")
        }
        _ = try await ensureVersions(name: record.name)
        try await store.setServedModel(name: record.name, modelID: id, at: Date().timeIntervalSince1970)
        logger.info("served version changed", metadata: ["name": "\(record.name)", "model": "\(id)"])
        return try await versions(name: record.name)
    }

    /// The model that serves `name`: the one marked served, else the newest ready version.
    func servedModelID(name: String) async throws -> String {
        let versions = try await versions(name: name)
        guard let served = versions.served else {
            throw AnalyzerError(.notFound, code: "model_not_found", "no ready model named '\(name)'")
        }
        return served
    }

    func versions(name: String) async throws -> ModelVersions {
        let models = try await ensureVersions(name: name)
        let byID = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let versions = try await store.modelVersions(name: name).filter { byID[$0.modelId] != nil }
        let marked = try await store.servedModel(name: name).flatMap { byID[$0]?.status == .ready ? $0 : nil }
        let served = marked ?? versions.first { byID[$0.modelId]?.status == .ready }?.modelId
        return ModelVersions(name: name, served: served, servedExplicitly: marked != nil, versions: versions, models: byID)
    }

    /// The ready models called `name`; gives a version to any that lacks one (trained before
    /// versions existed), oldest first.
    private func ensureVersions(name: String) async throws -> [ModelRecord] {
        let models = try await store.models().filter { $0.name == name }
        for record in models.sorted(by: { $0.createdAt < $1.createdAt }) where record.status == .ready {
            if try await store.modelVersion(modelID: record.id) == nil {
                _ = try await store.assignModelVersion(modelID: record.id, name: name, at: record.trainedAt ?? record.createdAt)
            }
        }
        return models
    }
}
