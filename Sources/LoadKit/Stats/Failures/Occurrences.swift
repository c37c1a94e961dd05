/// Identifies a failure group: request, then cause.
struct FailureKey: Hashable, Sendable {
    var stat: Int
    var message: String
}

/// How often a failure or exception happened and when.
struct Occurrences: Sendable {
    var count: Int
    var first: Double
    var last: Double

    mutating func add(_ other: Occurrences) {
        count += other.count
        first = Swift.min(first, other.first)
        last = Swift.max(last, other.last)
    }
}
