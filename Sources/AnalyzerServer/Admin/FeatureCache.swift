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
