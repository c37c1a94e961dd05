/// Groups concrete paths into routes for statistics and scenarios: `/api/users/42/orders` →
/// `/api/users/{id}/orders`. A segment is an id when it is all digits, a UUID, or a long hex or
/// alphanumeric token with digits in it.
public enum RouteName {
    /// The route of a path (query strings are dropped).
    public static func of(_ path: String) -> String {
        let bare = path.firstIndex(of: "?").map { String(path[..<$0]) } ?? path
        let segments = bare.split(separator: "/", omittingEmptySubsequences: false)
        return segments.map { isID($0) ? "{id}" : String($0) }.joined(separator: "/")
    }

    /// True for segments that name one thing rather than a kind of thing.
    public static func isID(_ s: Substring) -> Bool {
        guard !s.isEmpty else { return false }
        if s.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        let hexDigits = s.filter { $0 != "-" }
        if s.count == 36, s.filter({ $0 == "-" }).count == 4, hexDigits.allSatisfy(\.isHexDigit) { return true }
        let digits = s.filter { $0.isASCII && $0.isNumber }.count
        if s.count >= 12, digits > 0, s.allSatisfy({ $0.isHexDigit }) { return true }
        return s.count >= 20 && digits >= 2 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
