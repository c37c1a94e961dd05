import AnalyzerCore
import Synchronization

/// Where the legacy `generate_features` keeps a copy of every request's feature matrix: the leak
/// of the incident, as real allocations that RSS shows. Nothing is ever removed but by a restart.
final class FeatureCache: Sendable {
    private let entries = Mutex<[[Double]]>([])
    private let bytes = Atomic<Int64>(0)

    /// Bytes held.
    var retainedBytes: Int64 { bytes.load(ordering: .relaxed) }

    /// Keeps `scale` copies' worth of `matrix`, touching every page so the memory is resident.
    func retain(_ matrix: [Double], scale: Int) -> Int64 {
        let count = max(1, matrix.count * max(1, scale))
        var copy = [Double](repeating: 0, count: count)
        copy.withUnsafeMutableBufferPointer { target in
            matrix.withUnsafeBufferPointer { source in
                guard !source.isEmpty else { return }
                for i in 0..<target.count { target[i] = source[i % source.count] }
            }
        }
        let size = Int64(count * MemoryLayout<Double>.stride)
        entries.withLock { $0.append(copy) }
        bytes.add(size, ordering: .relaxed)
        return size
    }
}

/// The legacy `generate_features`: converts each request's values into a fresh matrix and keeps a
/// copy of it in the ``FeatureCache`` (the leak). The patched implementation is the core's
/// ``InPlaceFeatureGenerator``.
struct LegacyFeatureGenerator: FeatureGenerator {
    let cache: FeatureCache
    let scale: Int
    let budget: MemoryBudget

    func generateFeatures(
        rows: [[String: FeatureValue]], pipeline: FeaturePipeline, into buffer: inout [Double]
    ) throws(PredictionError) {
        var converted: [Double] = []
        try pipeline.generateFeatures(rows: rows, into: &converted)
        buffer = converted
        budget.noteRetained(cache.retain(converted, scale: scale))
    }
}
