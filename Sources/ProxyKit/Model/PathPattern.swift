/// A request-path pattern for HTTP toxics: `*` matches within one segment, `**` matches across
/// segments, `{name}` (a route template's placeholder) matches one whole segment; the empty pattern
/// matches every path. `/api/models/{id}/predict`, `/api/*`, `/static/**`.
public struct PathPattern: Sendable, Equatable {
    /// The pattern as written.
    public let text: String
    private let tokens: [Token]

    private enum Token: Equatable { case literal(UInt8), star, doubleStar }

    public init(_ text: String) {
        self.text = text
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "*"):
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "*") { tokens.append(.doubleStar); i += 2 } else { tokens.append(.star); i += 1 }
            case UInt8(ascii: "{"):
                if let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")) { tokens.append(.star); i = close + 1 } else { tokens.append(.literal(bytes[i])); i += 1 }
            default:
                tokens.append(.literal(bytes[i])); i += 1
            }
        }
        self.tokens = tokens
    }

    /// True when `path` (without its query) matches.
    public func matches<S: StringProtocol>(_ path: S) -> Bool {
        if tokens.isEmpty { return true }
        return Self.match(tokens[...], Array(path.utf8)[...])
    }

    private static func match(_ p: ArraySlice<Token>, _ s: ArraySlice<UInt8>) -> Bool {
        guard let first = p.first else { return s.isEmpty }
        switch first {
        case .literal(let c):
            return s.first == c && match(p.dropFirst(), s.dropFirst())
        case .star, .doubleStar:
            var rest = s
            while true {
                if match(p.dropFirst(), rest) { return true }
                guard let c = rest.first, first == .doubleStar || c != UInt8(ascii: "/") else { return false }
                rest = rest.dropFirst()
            }
        }
    }
}
