/// Maps the user classes a Locust master names to the scenario's: by name when every name is one
/// of the scenario's classes, else the total is shared among the scenario's classes by weight.
public struct ClassMapping: Sendable, Equatable {
    /// Users per scenario class (by name), or nil to share `total` by weight.
    public var byName: [String: Int]?
    /// All users asked for.
    public var total: Int

    /// The mapping of a `spawn` message's `user_classes_count` onto `scenarioClasses`.
    public init(master: [String: Int], scenarioClasses: [String]) {
        total = master.values.reduce(0, +)
        let known = Set(scenarioClasses)
        byName = master.keys.allSatisfy(known.contains) ? master : nil
    }
}
