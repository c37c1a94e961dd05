/// Solves symmetric positive-definite systems by Cholesky factorisation.
enum CholeskySolver {
    /// Solves `(A + ridge·I) x = b` for the `n × n` row-major symmetric `a`; nil when the matrix is
    /// not numerically positive definite.
    static func solve(_ a: [Double], _ b: [Double], n: Int, ridge: Double) -> [Double]? {
        var l = a
        for i in 0..<n { l[i * n + i] += ridge }
        // In-place lower factor: A = L·Lᵀ.
        for j in 0..<n {
            var d = l[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0, d.isFinite else { return nil }
            let pivot = d.squareRoot()
            l[j * n + j] = pivot
            for i in (j + 1)..<max(n, j + 1) {
                var s = l[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / pivot
            }
        }
        // Forward (L·z = b) then backward (Lᵀ·x = z) substitution.
        var x = b
        for i in 0..<n {
            var s = x[i]
            for k in 0..<i { s -= l[i * n + k] * x[k] }
            x[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(n, i + 1) { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}
