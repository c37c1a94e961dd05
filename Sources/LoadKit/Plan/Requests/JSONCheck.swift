/// A condition on a JSON path of the response body.
public struct JSONCheck: Sendable, Hashable {
    /// What must hold at the path.
    public enum Expectation: Sendable, Hashable {
        case exists(Bool)
        case equals(TemplateValue)
    }

    /// Where to look.
    public var path: JSONPath
    /// What must hold.
    public var expectation: Expectation

    /// Nil when the condition holds, else a message that names the path (never the value seen).
    func failure(in document: JSONValue?) -> String? {
        let found = document.flatMap { path.evaluate($0) }
        switch expectation {
        case .exists(let want):
            if (found != nil) == want { return nil }
            return want ? "\(path) missing" : "\(path) present"
        case .equals(let expected):
            if let found, found.matches(expected) { return nil }
            return found == nil ? "\(path) missing" : "\(path) != \(expected.jsonText)"
        }
    }
}
