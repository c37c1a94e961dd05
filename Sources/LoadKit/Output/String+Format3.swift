extension String {
    /// A number with up to three decimals, trailing zeros trimmed.
    init(format3 v: Double) {
        var s = String(Double((v * 1000).rounded()) / 1000)
        if s.hasSuffix(".0") { s.removeLast(2) }
        self = s
    }
}
