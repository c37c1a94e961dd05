/// Limited-memory BFGS minimiser with a backtracking (Armijo) line search.
struct LBFGS {
    /// Number of correction pairs kept.
    var memory = 10
    var maxIterations: Int
    /// Stop when the largest absolute gradient component is at most this (scipy's `pgtol`).
    var gradientTolerance: Double

    /// Minimises `objective`, which returns f(x) and writes ∇f(x) into its second argument.
    /// Returns the final point and the number of iterations used.
    func minimize(
        from start: [Double], objective: ([Double], inout [Double]) -> Double
    ) -> (x: [Double], iterations: Int) {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = objective(x, &g)
        var sHistory: [[Double]] = []
        var yHistory: [[Double]] = []
        var rhoHistory: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var alpha = [Double](repeating: 0, count: memory)
        var xNew = x
        var gNew = g
        var iteration = 0
        while iteration < maxIterations {
            if Self.maxAbs(g) <= gradientTolerance { break }
            iteration += 1
            // Two-loop recursion: direction = -H·g.
            for i in 0..<n { direction[i] = -g[i] }
            let k = sHistory.count
            for j in stride(from: k - 1, through: 0, by: -1) {
                let a = rhoHistory[j] * Self.dot(sHistory[j], direction)
                alpha[j] = a
                Self.axpy(-a, yHistory[j], &direction)
            }
            if k > 0 {
                let gamma = Self.dot(sHistory[k - 1], yHistory[k - 1]) / Self.dot(yHistory[k - 1], yHistory[k - 1])
                for i in 0..<n { direction[i] *= gamma }
            } else {
                let norm = Self.dot(g, g).squareRoot()
                if norm > 0 { for i in 0..<n { direction[i] /= max(1, norm) } }
            }
            for j in 0..<k {
                let b = rhoHistory[j] * Self.dot(yHistory[j], direction)
                Self.axpy(alpha[j] - b, sHistory[j], &direction)
            }
            var slope = Self.dot(g, direction)
            if !(slope < 0) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                for i in 0..<n { direction[i] = -g[i] }
                slope = Self.dot(g, direction)
                if !(slope < 0) { break }
            }
            // Backtracking line search with the Armijo condition.
            var step = 1.0
            var fNew = f
            var accepted = false
            for _ in 0..<60 {
                for i in 0..<n { xNew[i] = x[i] + step * direction[i] }
                fNew = objective(xNew, &gNew)
                if fNew.isFinite && fNew <= f + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            if !accepted { break }
            var s = [Double](repeating: 0, count: n)
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                s[i] = xNew[i] - x[i]
                y[i] = gNew[i] - g[i]
            }
            let sy = Self.dot(s, y)
            if sy > 1e-12 * Self.dot(y, y).squareRoot() * Self.dot(s, s).squareRoot() && sy > 0 {
                if sHistory.count == memory {
                    sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst()
                }
                sHistory.append(s)
                yHistory.append(y)
                rhoHistory.append(1 / sy)
            }
            let previous = f
            swap(&x, &xNew)
            swap(&g, &gNew)
            f = fNew
            // Relative decrease below rounding noise: converged as far as doubles allow.
            if (previous - f) <= 64 * Double.ulpOfOne * max(abs(previous), abs(f), 1) { break }
        }
        return (x, iteration)
    }

    @inline(__always)
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }

    @inline(__always)
    static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        for i in 0..<x.count { y[i] += a * x[i] }
    }

    static func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }
}
