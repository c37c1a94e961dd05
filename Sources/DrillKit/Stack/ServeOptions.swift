import Foundation

/// Maps a drill `start` step's options to `csv-analyzer serve` flags, mechanically: `memory_limit:
/// 512MiB` → `--memory-limit 512MiB`. csv-analyzer declares its flags once (its `ServeOptions`) and
/// judges names and values itself, so a new serve flag needs no change here; an unknown option or a
/// bad value fails the `start` step with csv-analyzer's own message.
enum ServeOptions {
    /// The flags for `options`, sorted by key (e.g. `["--memory-limit", "512MiB", "--workers", "2"]`).
    /// - Throws: `ControlError` for a key that cannot be a flag name or an empty value.
    static func flags(_ options: [String: String]) throws -> [String] {
        try options.sorted { $0.key < $1.key }.flatMap { key, raw -> [String] in
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
                throw ControlError(message: "start: '\(key)' is not an option name (lowercase words joined by '_', e.g. memory_limit)")
            }
            let value = raw.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { throw ControlError(message: "start: \(key) must not be empty") }
            return ["--" + key.replacingOccurrences(of: "_", with: "-"), value]
        }
    }
}
