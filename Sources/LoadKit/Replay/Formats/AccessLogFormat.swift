/// An access-log line layout in gunicorn's `access_log_format` syntax: literal text and atoms such as
/// `%(t)s` (time), `%(r)s` (request line), `%(m)s`/`%(U)s`/`%(q)s` (method, path, query),
/// `%(D)s`/`%(M)s`/`%(T)s`/`%(L)s` (request duration), `%({name}i)s` (a request header). Every other atom
/// is read and ignored. nginx's and Apache's combined format is gunicorn's default layout.
public struct AccessLogFormat: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal([UInt8])
        case atom(String)
    }

    let tokens: [Token]
    /// The layout as given.
    public let source: String

    /// gunicorn's default `access_log_format`, which is also the Apache/nginx combined log layout.
    public static let gunicornDefault = #"%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s""#

    /// Compiles a layout; throws when it has an unterminated atom or neither a time nor a request.
    public init(_ source: String) throws(ReplayError) {
        self.source = source
        var tokens: [Token] = []
        var literal: [UInt8] = []
        let b = Array(source.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "(") {
                guard let close = b[(i + 2)...].firstIndex(of: UInt8(ascii: ")")), close + 1 < b.count else {
                    throw ReplayError("--log-format: unterminated atom at column \(i + 1) of '\(source)'")
                }
                if !literal.isEmpty { tokens.append(.literal(literal)) }
                literal = []
                tokens.append(.atom(String(decoding: b[(i + 2)..<close], as: UTF8.self)))
                i = close + 2  // skips ")s"
            } else {
                literal.append(b[i])
                i += 1
            }
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }
        self.tokens = tokens
        let atoms = Set(tokens.compactMap { if case .atom(let a) = $0 { a } else { nil } })
        guard atoms.contains("t") else { throw ReplayError("--log-format: '\(source)' has no %(t)s (the time)") }
        guard atoms.contains("r") || (atoms.contains("m") && atoms.contains("U")) else {
            throw ReplayError("--log-format: '\(source)' has neither %(r)s nor %(m)s and %(U)s (the request)")
        }
    }

    /// The atoms of one line, by name; nil with a reason when the line does not follow the layout.
    /// A line that ends early is accepted once the time and the request were read (Apache's common
    /// format is the combined one without its last two fields).
    func fields(of line: Substring) -> Result<[String: String], ReplayError> {
        let b = Array(line.utf8)
        var pos = 0
        var out: [String: String] = [:]
        for (k, token) in tokens.enumerated() {
            if pos == b.count, out["t"] != nil, out["r"] != nil || out["U"] != nil { break }
            switch token {
            case .literal(let lit):
                guard b.count - pos >= lit.count, Array(b[pos..<(pos + lit.count)]) == lit else {
                    return .failure(ReplayError(
                        "column \(pos + 1): expected '\(String(decoding: lit, as: UTF8.self))' (format \(source))"))
                }
                pos += lit.count
            case .atom(let name):
                let quoted = k > 0 && { if case .literal(let l) = tokens[k - 1] { l.last == UInt8(ascii: "\"") } else { false } }()
                var end: Int
                if name == "t", pos < b.count, b[pos] == UInt8(ascii: "[") {
                    guard let close = b[pos...].firstIndex(of: UInt8(ascii: "]")) else {
                        return .failure(ReplayError("column \(pos + 1): unterminated [time]"))
                    }
                    end = close + 1
                } else if k + 1 < tokens.count, case .literal(let next) = tokens[k + 1] {
                    guard let found = Self.find(next, in: b, from: pos, skipEscapes: quoted) else {
                        if out["t"] != nil, out["r"] != nil || out["U"] != nil { end = b.count } else {
                            return .failure(ReplayError(
                                "column \(pos + 1): no '\(String(decoding: next, as: UTF8.self))' after %(\(name))s"))
                        }
                        out[name] = Self.unescape(b[pos..<end], quoted: quoted)
                        pos = end
                        continue
                    }
                    end = found
                } else {
                    end = b.count
                }
                out[name] = Self.unescape(b[pos..<end], quoted: quoted)
                pos = end
            }
        }
        return .success(out)
    }

    private static func find(_ needle: [UInt8], in b: [UInt8], from start: Int, skipEscapes: Bool) -> Int? {
        var i = start
        while i + needle.count <= b.count {
            if skipEscapes && b[i] == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if b[i] == needle[0] && Array(b[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// Undoes Apache's (`\"`, `\\`) and nginx's (`\x22`) escaping inside quoted fields.
    static func unescape(_ s: ArraySlice<UInt8>, quoted: Bool) -> String {
        guard quoted, s.contains(UInt8(ascii: "\\")) else { return String(decoding: s, as: UTF8.self) }
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == UInt8(ascii: "\\"), i + 1 < s.endIndex {
                let n = s[i + 1]
                if n == UInt8(ascii: "x"), i + 3 < s.endIndex,
                   let v = UInt8(String(decoding: s[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                    out.append(v)
                    i += 4
                    continue
                }
                if n == UInt8(ascii: "\"") || n == UInt8(ascii: "\\") {
                    out.append(n)
                    i += 2
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
