/// Text helpers of the reports (escaping is FiredrillSupport's `MarkupText`).
enum Markup {
    /// The first line of `s`, at most `limit` characters (an ellipsis marks a cut).
    static func headline(_ s: String, limit: Int = 200) -> String {
        let lines = s.split(whereSeparator: \.isNewline)
        guard let first = lines.first else { return "" }
        if first.count > limit { return String(first.prefix(max(limit - 1, 0))) + "…" }
        return lines.count > 1 ? first + " …" : String(first)
    }
}
