/// A fitted linear model `y = x·coefficients + intercept`: ordinary least squares or ridge.
public struct LinearModel: Sendable, Equatable {
    /// One coefficient per feature.
    public let coefficients: [Double]
    /// The (unpenalised) intercept.
    public let intercept: Double

    /// The prediction for the features at `x`.
    @inline(__always)
    func predict(_ x: UnsafePointer<Double>) -> Double {
        var s = intercept
        for j in 0..<coefficients.count { s += coefficients[j] * x[j] }
        return s
    }

    /// Fits on centred data (so the intercept is unpenalised): solves
    /// `(XcᵀXc + alpha·I) w = Xcᵀyc` by Cholesky. `alpha = 0` is ordinary least squares; a tiny
    /// jitter (grown until the factorisation succeeds) makes rank-deficient designs, such as a full
    /// one-hot block next to the intercept, solvable with a near minimum-norm answer.
    static func fit(x: FeatureMatrix, y: [Double], alpha: Double) -> LinearModel {
        let n = x.rows, p = x.cols
        guard n > 0 else { return LinearModel(coefficients: [Double](repeating: 0, count: p), intercept: 0) }
        var means = [Double](repeating: 0, count: p)
        var yMean = 0.0
        var gram = [Double](repeating: 0, count: p * p)
        var rhs = [Double](repeating: 0, count: p)
        x.values.withUnsafeBufferPointer { xv in
            for i in 0..<n {
                for j in 0..<p { means[j] += xv[i * p + j] }
                yMean += y[i]
            }
            for j in 0..<p { means[j] /= Double(n) }
            yMean /= Double(n)
            var centred = [Double](repeating: 0, count: p)
            gram.withUnsafeMutableBufferPointer { g in
                for i in 0..<n {
                    for j in 0..<p { centred[j] = xv[i * p + j] - means[j] }
                    let yc = y[i] - yMean
                    for j in 0..<p {
                        let cj = centred[j]
                        rhs[j] += cj * yc
                        for k in j..<p { g[j * p + k] += cj * centred[k] }
                    }
                }
                for j in 0..<p { for k in 0..<j { g[j * p + k] = g[k * p + j] } }
            }
        }
        var coefficients = [Double](repeating: 0, count: p)
        if p > 0 {
            var trace = 0.0
            for j in 0..<p { trace += gram[j * p + j] }
            var jitter = 1e-10 * max(trace / Double(p), 1e-300)
            var ridge = alpha > 0 ? alpha : jitter
            while true {
                if let w = CholeskySolver.solve(gram, rhs, n: p, ridge: ridge) {
                    coefficients = w
                    break
                }
                jitter *= 100
                ridge = alpha + jitter
                if jitter > trace { break }  // degenerate (all-zero design): keep zero coefficients
            }
        }
        var intercept = yMean
        for j in 0..<p { intercept -= means[j] * coefficients[j] }
        return LinearModel(coefficients: coefficients, intercept: intercept)
    }
}
