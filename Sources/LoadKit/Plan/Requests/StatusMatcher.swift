/// A status code or a class such as `2xx`.
public enum StatusMatcher: Sendable, Hashable, CustomStringConvertible {
    case code(Int)
    case range(ClosedRange<Int>)

    func matches(_ status: Int) -> Bool {
        switch self {
        case .code(let c): return c == status
        case .range(let r): return r.contains(status)
        }
    }

    public var description: String {
        switch self {
        case .code(let c): return String(c)
        case .range(let r): return "\(r.lowerBound / 100)xx"
        }
    }
}
