import AnalyzerAPI
import Foundation

/// Memory attribution of this process (`GET /admin/memory`, `csv_analyzer_retained_bytes`).
extension Analyzer {
    /// Bytes retained per component in this process (memory attribution). `datasets` is always 0:
    /// uploads stream to disk and no dataset is kept in memory (a training's working set is `other`).
    func retainedBytes() -> [String: Int64] {
        let cache = runtime.featureCache.retainedBytes
        let models = modelBytes.withLock { $0.values.reduce(0, +) }
        let rss = ProcessStats.current().residentBytes
        return ["feature_cache": cache, "models": models, "datasets": 0, "other": max(0, rss - cache - models)]
    }

    /// This process's memory report.
    func memoryReport(slot: Int) -> WorkerMemory {
        WorkerMemory(
            worker: slot, pid: getpid(), residentBytes: ProcessStats.current().residentBytes,
            shareBytes: runtime.budget.shareBytes, featuresImpl: runtime.usesLegacyFeatures ? "legacy" : "patched",
            components: retainedBytes())
    }
}
