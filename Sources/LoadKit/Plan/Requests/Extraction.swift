/// Copies a JSON path of a response into a per-user variable.
public struct Extraction: Sendable, Hashable {
    /// Index into ``LoadPlan/userVariables``.
    public var variable: Int
    /// Where the value is.
    public var path: JSONPath
}
