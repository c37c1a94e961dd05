import FiredrillSupport
import Foundation

/// How to replay a log: which part, how fast, how often, and what to change in each request.
public struct ReplaySettings: Sendable {
    /// Replay `speed` times faster (offsets divided by it).
    public var speed: Double = 1
    /// Only requests in this slice of the log.
    public var window: ReplayWindow?
    /// Start again from the first request after the last one.
    public var loop = false
    /// Regular expressions applied, in order, to each request target (path and query).
    public var rewrites: [Rewrite] = []
    /// Drop query strings and headers that carry personal data (``ReplaySettings/personalHeaders``).
    public var scrub = false
    /// When every timestamp is a whole second (combined and gunicorn logs), spread the requests of each
    /// second evenly over it instead of sending them together.
    public var spreadSeconds = true
    /// Most concurrent requests (nil: twice the busiest second, at least 10).
    public var maxUsers: Int?

    /// Headers never replayed: the connection's own, and those the target is given by `--host`.
    public static let connectionHeaders: Set<String> = [
        "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "upgrade",
        "proxy-connection", "trailer", "accept-encoding",
    ]

    /// Headers `--scrub` drops: credentials, sessions and client identity.
    public static let personalHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token",
        "x-access-token", "x-csrf-token", "x-xsrf-token", "x-forwarded-for", "x-real-ip", "forwarded",
        "true-client-ip", "cf-connecting-ip", "x-client-ip", "referer", "x-amz-security-token", "x-session-id",
        "x-user-id", "x-user-email", "from",
    ]

    /// Creates default settings.
    public init() {}

    /// `REGEX=REPLACEMENT` (the replacement may use `$1`…).
    public struct Rewrite: @unchecked Sendable {
        let regex: NSRegularExpression
        let replacement: String
        /// The flag as given.
        public let source: String

        /// Parses `--rewrite REGEX=REPLACEMENT`, split at the first `=` that is neither escaped (`\=`)
        /// nor inside `(…)`, `[…]` or `{…}`, so the replacement may hold `=` (`id\=[0-9]+=id=42`).
        public init(_ text: String) throws(ReplayError) {
            guard let eq = Self.separator(in: text) else {
                throw ReplayError("--rewrite '\(text)': expected REGEX=REPLACEMENT, e.g. '/users/[0-9]+=/users/42'")
            }
            let pattern = String(text[..<eq])
            do {
                regex = try NSRegularExpression(pattern: pattern)
            } catch {
                throw ReplayError("--rewrite '\(text)': '\(pattern)' is not a regular expression")
            }
            replacement = String(text[text.index(after: eq)...])
            source = text
        }

        /// The first `=` outside `(...)`, `[...]` and `{...}` and not escaped.
        static func separator(in text: String) -> String.Index? {
            var depth = 0
            var i = text.startIndex
            while i < text.endIndex {
                let c = text[i]
                if c == "\\" {
                    i = text.index(after: i)
                    if i < text.endIndex { i = text.index(after: i) }
                    continue
                }
                if c == "(" || c == "[" || c == "{" { depth += 1 }
                if c == ")" || c == "]" || c == "}" { depth = max(0, depth - 1) }
                if c == "=" && depth == 0 { return i }
                i = text.index(after: i)
            }
            return nil
        }

        func apply(_ s: String) -> String {
            regex.stringByReplacingMatches(
                in: s, range: NSRange(s.startIndex..., in: s), withTemplate: replacement)
        }
    }
}

/// A slice of a log: `01:40..02:00` (offsets from its first request: `SS`, `MM:SS`, `HH:MM:SS` or a
/// duration such as `100s`), either end optional, or absolute ISO 8601 times.
public struct ReplayWindow: Sendable, Hashable {
    /// One end of the slice.
    public enum Bound: Sendable, Hashable {
        /// Seconds after the log's first request.
        case offset(Double)
        /// Seconds since 1970.
        case absolute(Double)
    }

    /// Start (nil: the log's start).
    public var from: Bound?
    /// End, excluded (nil: the log's end).
    public var to: Bound?

    /// Parses `FROM..TO`.
    public init(_ text: String) throws(ReplayError) {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2 else {
            throw ReplayError("--window '\(text)': expected FROM..TO, e.g. 01:40..02:00 or 2026-12-03T10:00:00Z..")
        }
        from = try Self.bound(parts[0], in: text)
        to = try Self.bound(parts[1], in: text)
    }

    static func bound(_ raw: String, in text: String) throws(ReplayError) -> Bound? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if s.isEmpty { return nil }
        if s.count >= 19, let t = LogTimestamp.parse(Substring(s)) { return .absolute(t) }
        let pieces = s.split(separator: ":", omittingEmptySubsequences: false)
        if pieces.count > 1 && pieces.count <= 3 {
            var seconds = 0.0
            for p in pieces {
                guard let v = Double(p), v >= 0 else { throw ReplayError("--window '\(text)': bad time '\(s)'") }
                seconds = seconds * 60 + v
            }
            return .offset(seconds)
        }
        if let d = DurationText.seconds(s) { return .offset(d) }
        throw ReplayError("--window '\(text)': bad time '\(s)' (use MM:SS, HH:MM:SS, a duration such as 90s, or ISO 8601)")
    }

    /// The slice in seconds since 1970 for a log starting at `start`.
    func range(logStart start: Double) -> (Double, Double) {
        func resolve(_ b: Bound?, _ fallback: Double) -> Double {
            switch b {
            case .offset(let o): return start + o
            case .absolute(let t): return t
            case nil: return fallback
            }
        }
        return (resolve(from, -.infinity), resolve(to, .infinity))
    }
}
