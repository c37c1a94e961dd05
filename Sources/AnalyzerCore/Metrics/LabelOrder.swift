/// How class labels are ordered everywhere (classes, confusion matrices): numerically when every
/// label is a number (`"2"` before `"10"`), otherwise by string comparison.
enum LabelOrder {
    static func sorted(_ labels: some Sequence<String>) -> [String] {
        let unique = Array(Set(labels))
        let numbers = unique.map { CSVNumber.parse($0)?.value }
        if numbers.allSatisfy({ $0 != nil }) {
            return zip(unique, numbers).sorted { ($0.1!, $0.0) < ($1.1!, $1.0) }.map(\.0)
        }
        return unique.sorted()
    }
}
