import Dispatch
import Foundation

/// A fitted logistic regression: softmax over `classCount` classes; with two classes a single
/// logit for class 1 (class 0 fixed at 0), exactly scikit-learn's binary model.
public struct LogisticRegressionModel: Sendable, Equatable {
    /// Number of classes.
    public let classCount: Int
    /// Number of input features.
    public let featureCount: Int
    /// Weights, `rows × featureCount` row-major, where `rows` is 1 for two classes, else `classCount`.
    public let weights: [Double]
    /// One intercept per weight row.
    public let intercepts: [Double]

    /// Number of weight rows (logits).
    var logitRows: Int { classCount == 2 ? 1 : classCount }

    /// Writes the class probabilities for the features at `x` into `out` (`classCount` values).
    @inline(__always)
    func probabilities(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let p = featureCount
        weights.withUnsafeBufferPointer { w in
            if classCount == 2 {
                var z = intercepts[0]
                for j in 0..<p { z += w[j] * x[j] }
                let p1 = 1 / (1 + Foundation.exp(-z))
                out[0] = 1 - p1
                out[1] = p1
                return
            }
            var maxZ = -Double.infinity
            for k in 0..<classCount {
                var z = intercepts[k]
                let row = k * p
                for j in 0..<p { z += w[row + j] * x[j] }
                out[k] = z
                maxZ = max(maxZ, z)
            }
            var sum = 0.0
            for k in 0..<classCount {
                let e = Foundation.exp(out[k] - maxZ)
                out[k] = e
                sum += e
            }
            for k in 0..<classCount { out[k] /= sum }
        }
    }

    /// Fits by minimising mean log-loss + ‖W‖² / (2·C·n) (intercepts unpenalised) with L-BFGS,
    /// the objective scikit-learn's `lbfgs` solver minimises.
    static func fit(
        x: FeatureMatrix, labels: [Int32], classCount: Int, c: Double, maxIterations: Int, tolerance: Double
    ) -> LogisticRegressionModel {
        let n = x.rows, p = x.cols
        let rows = classCount == 2 ? 1 : classCount
        let paramCount = rows * (p + 1)
        let l2 = 1 / (c * Double(max(n, 1)))
        // Fixed chunking (independent of the number of cores) keeps sums deterministic.
        let chunkCount = n >= 8192 ? 8 : 1
        let chunk = (n + chunkCount - 1) / max(chunkCount, 1)
        let objective: ([Double], inout [Double]) -> Double = { theta, grad in
            let parts = parallelMap(count: chunkCount) { part -> (loss: Double, grad: [Double]) in
                let lo = part * chunk, hi = min(n, lo + chunk)
                var g = [Double](repeating: 0, count: paramCount)
                let loss = g.withUnsafeMutableBufferPointer { g in
                    Self.lossAndGradient(
                        x: x, labels: labels, range: lo..<hi, classCount: classCount, theta: theta, grad: g.baseAddress!)
                }
                return (loss, g)
            }
            var loss = 0.0
            for i in 0..<paramCount { grad[i] = 0 }
            for part in parts {
                loss += part.loss
                for i in 0..<paramCount { grad[i] += part.grad[i] }
            }
            let invN = 1 / Double(max(n, 1))
            loss *= invN
            for i in 0..<paramCount { grad[i] *= invN }
            // L2 on weights only (the last `rows` parameters are intercepts).
            for i in 0..<(rows * p) {
                loss += 0.5 * l2 * theta[i] * theta[i]
                grad[i] += l2 * theta[i]
            }
            return loss
        }
        let solver = LBFGS(maxIterations: maxIterations, gradientTolerance: tolerance)
        let (theta, _) = solver.minimize(from: [Double](repeating: 0, count: paramCount), objective: objective)
        return LogisticRegressionModel(
            classCount: classCount, featureCount: p,
            weights: Array(theta[0..<(rows * p)]), intercepts: Array(theta[(rows * p)...]))
    }

    /// Sum of log-losses over `range` and its gradient (written to `grad`, `paramCount` values).
    private static func lossAndGradient(
        x: FeatureMatrix, labels: [Int32], range: Range<Int>, classCount: Int, theta: [Double],
        grad: UnsafeMutablePointer<Double>
    ) -> Double {
        let p = x.cols
        let rows = classCount == 2 ? 1 : classCount
        let paramCount = rows * (p + 1)
        for i in 0..<paramCount { grad[i] = 0 }
        var loss = 0.0
        var z = [Double](repeating: 0, count: classCount)
        x.values.withUnsafeBufferPointer { xv in
            theta.withUnsafeBufferPointer { w in
                z.withUnsafeMutableBufferPointer { z in
                    let bias = rows * p
                    for i in range {
                        let xi = xv.baseAddress! + i * p
                        let y = Int(labels[i])
                        if classCount == 2 {
                            var s = w[bias]
                            for j in 0..<p { s += w[j] * xi[j] }
                            // log(1 + e^s) - y·s, computed stably.
                            loss += (s > 0 ? s + log1p(exp(-s)) : log1p(exp(s))) - (y == 1 ? s : 0)
                            let r = 1 / (1 + exp(-s)) - (y == 1 ? 1 : 0)
                            for j in 0..<p { grad[j] += r * xi[j] }
                            grad[bias] += r
                            continue
                        }
                        var maxZ = -Double.infinity
                        for k in 0..<classCount {
                            var s = w[bias + k]
                            let row = k * p
                            for j in 0..<p { s += w[row + j] * xi[j] }
                            z[k] = s
                            maxZ = max(maxZ, s)
                        }
                        var sum = 0.0
                        for k in 0..<classCount { sum += exp(z[k] - maxZ) }
                        loss += maxZ + log(sum) - z[y]
                        for k in 0..<classCount {
                            let r = exp(z[k] - maxZ) / sum - (k == y ? 1 : 0)
                            let row = k * p
                            for j in 0..<p { grad[row + j] += r * xi[j] }
                            grad[bias + k] += r
                        }
                    }
                }
            }
        }
        return loss
    }
}
