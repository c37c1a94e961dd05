/// A statistics key: method and request name.
struct StatKey: Hashable, Sendable {
    var method: String
    var name: String
}
