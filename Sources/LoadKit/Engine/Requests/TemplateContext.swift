/// Supplies values while templates render (implemented by the virtual user).
protocol TemplateContext {
    /// The value of a reference.
    func value(of ref: ValueRef) throws(RenderError) -> TemplateValue
    /// The current row index of a feeder (drawn once per iteration).
    func row(of feeder: Int) throws(RenderError) -> Int
    /// Feeders of the plan.
    var feeders: [Feeder] { get }
}

/// A template that cannot render at run time.
enum RenderError: Error, Sendable {
    /// An `extract` variable used before any response set it.
    case unsetVariable(String)
    /// A `unique` feeder ran out of rows.
    case feederExhausted(String)
    /// A header whose rendered value holds a line break or NUL (it would inject a header): not sent.
    case headerBreaksLine(String)

    var message: String {
        switch self {
        case .unsetVariable(let n): return "variable '\(n)' is not set yet (no response has extracted it)"
        case .feederExhausted(let f): return "feeder '\(f)' has no rows left (mode unique)"
        case .headerBreaksLine(let h): return "InvalidHeader: header \(h) contains a line break or NUL; the request was not sent"
        }
    }
}
