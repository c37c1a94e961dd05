/// Mapping entries in file order with lookup by key.
struct OrderedFields: Sequence {
    private(set) var items: [(String, YAMLField)] = []

    mutating func append(_ key: String, _ field: YAMLField) {
        items.append((key, field))
    }

    subscript(_ key: String) -> YAMLField? {
        items.first { $0.0 == key }?.1
    }

    var keys: [String] { items.map(\.0) }

    func makeIterator() -> IndexingIterator<[(String, YAMLField)]> {
        items.makeIterator()
    }
}

extension String {
    var replacingUnderscores: String { filter { $0 != "_" } }
}
