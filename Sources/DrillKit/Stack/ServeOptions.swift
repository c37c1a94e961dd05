import Foundation

/// Maps a drill `start` step's options to `csv-analyzer serve` flags.
enum ServeOptions {
    private enum Value { case integer, number, text, choice([String]) }

    /// The options a `start` step may set, in command-line order.
    private static let known: [(key: String, flag: String, value: Value)] = [
        ("workers", "--workers", .integer),
        ("memory_limit", "--memory-limit", .text),
        ("features_impl", "--features-impl", .choice(["legacy", "patched"])),
        ("leak_scale", "--leak-scale", .integer),
        ("max_requests", "--max-requests", .integer),
        ("max_requests_jitter", "--max-requests-jitter", .integer),
        ("graceful_timeout", "--graceful-timeout", .number),
    ]

    /// The option keys, in command-line order.
    static var keys: [String] { known.map(\.key) }

    /// The flags for `options` (e.g. `["--workers", "2"]`); `graceful_timeout` is in seconds.
    /// - Throws: `ControlError` for an unknown key or a malformed value.
    static func flags(_ options: [String: String]) throws -> [String] {
        if let unknown = options.keys.sorted().first(where: { !keys.contains($0) }) {
            throw ControlError(message: "start: unknown option '\(unknown)' (known: \(keys.joined(separator: ", ")))")
        }
        var flags: [String] = []
        for (key, flag, kind) in known {
            guard let raw = options[key] else { continue }
            let value = raw.trimmingCharacters(in: .whitespaces)
            switch kind {
            case .integer:
                guard Int(value) != nil else { throw ControlError(message: "start: \(key) must be an integer, got '\(raw)'") }
            case .number:
                guard let number = Double(value), number.isFinite else {
                    throw ControlError(message: "start: \(key) must be a number of seconds, got '\(raw)'")
                }
            case .text:
                guard !value.isEmpty else { throw ControlError(message: "start: \(key) must not be empty") }
            case .choice(let choices):
                guard choices.contains(value) else {
                    throw ControlError(message: "start: \(key) must be \(choices.joined(separator: " or ")), got '\(raw)'")
                }
            }
            flags += [flag, value]
        }
        return flags
    }
}
