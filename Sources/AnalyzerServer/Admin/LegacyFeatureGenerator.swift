import AnalyzerCore

/// The legacy `generate_features`: converts each request's values into a fresh matrix and keeps a
/// copy of it in the ``FeatureCache`` (the leak). The patched implementation is the core's
/// ``InPlaceFeatureGenerator``. It holds the memory budget, so it checks it (``reserve(rows:width:calls:)``)
/// knowing what it will keep.
struct LegacyFeatureGenerator: FeatureGenerator {
    /// The operation a `MemoryError` names.
    static let operation = "generate_features"

    let cache: FeatureCache
    let scale: Int
    let budget: MemoryBudget

    /// Bytes a request of `rows × width` features costs here: the matrix plus the `scale` copies kept.
    func cost(rows: Int, width: Int) -> Int64 {
        Int64(rows * width * MemoryLayout<Double>.stride) * Int64(1 + scale)
    }

    /// Throws ``MemoryError`` before anything is allocated when the request would take the process
    /// over its share. `calls` are the frames that led here, outermost first.
    func reserve(rows: Int, width: Int, calls: @autoclosure () -> [MemoryError.Frame]) throws(MemoryError) {
        try budget.reserve(
            cost(rows: rows, width: width), for: Self.operation, frames: calls() + [MemoryError.Frame(function: Self.operation)])
    }

    func generateFeatures(
        rows: [[String: FeatureValue]], pipeline: FeaturePipeline, into buffer: inout [Double]
    ) throws(PredictionError) {
        var converted: [Double] = []
        try pipeline.generateFeatures(rows: rows, into: &converted)
        buffer = converted
        budget.noteRetained(cache.retain(converted, scale: scale))
    }
}
