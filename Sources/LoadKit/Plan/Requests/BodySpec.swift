/// A request body.
public enum BodySpec: Sendable, Hashable {
    case none
    /// JSON built from a template tree (a string that is exactly `${x}` keeps x's type).
    case json(JSONTemplate)
    /// Text with a content type.
    case text(Template, contentType: String)
    /// `application/x-www-form-urlencoded` fields.
    case form([NamedTemplate])
    /// Raw bytes (a file read at load time).
    case bytes([UInt8], contentType: String)
    /// A `multipart/form-data` upload of one file.
    case multipart(field: String, filename: String, bytes: [UInt8], contentType: String)
    /// The current row of a feeder as a JSON object (or `count` rows as an array), minus excluded columns.
    case feederRow(feeder: Int, columns: [Int], count: Int?)

    var isStatic: Bool {
        switch self {
        case .none, .bytes, .multipart: return true
        case .json(let j): return j.isStatic
        case .text(let t, _): return t.isStatic
        case .form(let f): return f.allSatisfy { $0.value.isStatic }
        case .feederRow: return false
        }
    }
}
