import Foundation
import LoadKit

/// Turns a sampled request-rate curve into the stages of a ramping arrival rate: the fewest
/// straight segments (Ramer–Douglas–Peucker) that stay within a tolerance of every sample.
public enum CurveStages {
    /// The stages replaying `samples` (one every `step` seconds; nil samples are skipped).
    ///
    /// - Parameters:
    ///   - tolerance: largest allowed gap between the replayed rate and a sample, as a fraction of
    ///     the curve's peak (never below `floor` requests per second).
    ///   - maxStages: the tolerance is doubled until the stages fit.
    /// - Returns: the starting rate and the stages (durations in seconds, whole, at least 1), or nil
    ///   when the curve has fewer than two samples.
    public static func stages(_ samples: [Double?], step: Double, tolerance: Double = 0.15, floor: Double = 0.5,
                              maxStages: Int = 20) -> (startRate: Double, stages: [LoadProfile.RateStage])? {
        let points = samples.enumerated().compactMap { index, value in value.map { (t: Double(index) * step, v: max(0, $0)) } }
        guard points.count >= 2, step > 0 else { return nil }
        let peak = points.map(\.v).max() ?? 0
        var epsilon = max(tolerance * peak, floor)
        var kept = simplify(points, epsilon: epsilon)
        while kept.count - 1 > maxStages {
            epsilon *= 2
            kept = simplify(points, epsilon: epsilon)
        }
        var stages: [LoadProfile.RateStage] = []
        var carried = 0.0
        for (a, b) in zip(kept, kept.dropFirst()) {
            let seconds = (b.t - a.t + carried).rounded()
            guard seconds >= 1 else { carried += b.t - a.t; continue }
            carried = b.t - a.t + carried - seconds
            stages.append(.init(duration: seconds, target: round2(b.v)))
        }
        return (round2(kept[0].v), stages)
    }

    /// The rate the stages ask for `seconds` after the start (linear inside each stage; the last
    /// target after the end).
    public static func rate(at seconds: Double, startRate: Double, stages: [LoadProfile.RateStage]) -> Double {
        var begin = 0.0
        var from = startRate
        for stage in stages {
            let length = stage.duration
            if seconds <= begin + length {
                return from + (stage.target - from) * (length > 0 ? (seconds - begin) / length : 1)
            }
            begin += length
            from = stage.target
        }
        return from
    }

    /// Ramer–Douglas–Peucker on the vertical distance: keeps the endpoints and every point needed
    /// so that no sample lies more than `epsilon` from the polyline.
    static func simplify(_ points: [(t: Double, v: Double)], epsilon: Double) -> [(t: Double, v: Double)] {
        guard points.count > 2 else { return points }
        var keep = Array(repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var ranges = [(0, points.count - 1)]
        while let (first, last) = ranges.popLast() {
            guard last - first > 1 else { continue }
            let a = points[first], b = points[last]
            var worst = (index: first, gap: 0.0)
            for i in (first + 1)..<last {
                let p = points[i]
                let line = a.v + (b.v - a.v) * (p.t - a.t) / (b.t - a.t)
                let gap = abs(p.v - line)
                if gap > worst.gap { worst = (i, gap) }
            }
            if worst.gap > epsilon {
                keep[worst.index] = true
                ranges.append((first, worst.index))
                ranges.append((worst.index, last))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }

    private static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
