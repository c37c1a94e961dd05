/// Where a template reference takes its value from.
public enum ValueRef: Sendable, Hashable {
    /// A generated variable from `variables:` (index into ``LoadPlan/variables``).
    case variable(Int)
    /// A column of the current row of a feeder.
    case column(feeder: Int, column: Int)
    /// A per-user variable set by `extract` (index into ``LoadPlan/userVariables``).
    case userVariable(Int)
    /// The virtual user's number.
    case userID
    /// The user's iteration counter.
    case iteration
}
