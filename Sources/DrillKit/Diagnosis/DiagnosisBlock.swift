import Foundation

/// A runbook's diagnosis query or command, marked for checking by `diagnosis` in its fence's info
/// string, with what it must show while the fault is active:
///
/// ````
/// ```promql diagnosis min=0.9
/// csv_analyzer_resident_memory_bytes / process_memory_limit_bytes
/// ```
/// ```sh diagnosis top=components.feature_cache
/// curl -s -H "Authorization: Bearer $T" "$URL/admin/memory"
/// ```
/// ````
///
/// Checks (any number, all must hold): `min=X` / `max=X` (PromQL: some sample within the bounds),
/// `contains=TEXT` (a command's output; `%20` for a space), `top=OBJECT.KEY` (a command's JSON
/// output: summed over every object under the key OBJECT, KEY holds the largest number). Without a
/// check, a query must return a sample and a command must exit 0.
public struct DiagnosisBlock: Sendable, Equatable {
    public enum Language: String, Sendable, Equatable {
        case promql
        /// `sh`, `bash`, `shell`: run under `/bin/sh -c`.
        case shell
    }

    public enum Check: Sendable, Equatable {
        case min(Double), max(Double), contains(String), top(object: String, key: String)
    }

    public var language: Language
    public var text: String
    public var checks: [Check]
    /// The fence's line in the runbook.
    public var line: Int

    /// The block's first line, for reports.
    public var command: String { text.split(separator: "\n").first.map(String.init) ?? "" }

    /// `min=0.9 top=components.feature_cache`, for reports.
    public var expectation: String {
        checks.isEmpty ? (language == .promql ? "returns a sample" : "exits 0") : checks.map { check in
            switch check {
            case .min(let v): "min=\(DrillFormat.number(v))"
            case .max(let v): "max=\(DrillFormat.number(v))"
            case .contains(let t): "contains=\(t)"
            case .top(let o, let k): "top=\(o).\(k)"
            }
        }.joined(separator: " ")
    }

    /// Every block of `markdown` marked `diagnosis`.
    /// - Throws: `DrillError` at the block's line for an unknown language or a malformed check.
    public static func all(in markdown: String, file: String) throws -> [DiagnosisBlock] {
        try Runbook.fencedBlocks(markdown: markdown).filter { $0.words.dropFirst().contains("diagnosis") }.map { block in
            let line = abs(block.line)
            let language: Language
            switch block.words[0] {
            case "promql": language = .promql
            case "sh", "bash", "shell": language = .shell
            default:
                throw DrillError(file: file, line: line, message: "a diagnosis block is promql or sh, found '\(block.words[0])'")
            }
            var checks: [Check] = []
            for word in block.words.dropFirst() where word != "diagnosis" {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[1].isEmpty else {
                    throw DrillError(file: file, line: line, message: "'\(word)' is not a check: use min=X, max=X, contains=TEXT or top=OBJECT.KEY")
                }
                switch (parts[0], language) {
                case ("min", .promql), ("max", .promql):
                    guard let value = Double(parts[1]), value.isFinite else {
                        throw DrillError(file: file, line: line, message: "\(parts[0])=\(parts[1]): expected a number")
                    }
                    checks.append(parts[0] == "min" ? .min(value) : .max(value))
                case ("contains", .shell):
                    checks.append(.contains(parts[1].removingPercentEncoding ?? parts[1]))
                case ("top", .shell):
                    let path = parts[1].split(separator: ".", maxSplits: 1).map(String.init)
                    guard path.count == 2 else { throw DrillError(file: file, line: line, message: "top=\(parts[1]): expected OBJECT.KEY") }
                    checks.append(.top(object: path[0], key: path[1]))
                default:
                    throw DrillError(file: file, line: line, message: "'\(parts[0])' is not a check of a \(block.words[0]) block"
                                     + (language == .promql ? " (min, max)" : " (contains, top)"))
                }
            }
            guard !block.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DrillError(file: file, line: line, message: "the diagnosis block is empty")
            }
            return DiagnosisBlock(language: language, text: block.text, checks: checks, line: line)
        }
    }

    /// Judges a query's samples: nil when every check holds, else what was found.
    public func judge(samples: [Double]) -> String? {
        guard !samples.isEmpty else { return "no sample" }
        let bounds = Tolerance(min: checks.compactMap { if case .min(let v) = $0 { v } else { nil } }.first,
                               max: checks.compactMap { if case .max(let v) = $0 { v } else { nil } }.first)
        let shown = samples.prefix(5).map(DrillFormat.number).joined(separator: ", ")
        return samples.contains(where: bounds.contains) ? nil : "no sample within \(expectation): \(shown)"
    }

    /// Judges a command's output: nil when every check holds, else what was found.
    public func judge(output: String, exitCode: Int32) -> String? {
        guard exitCode == 0 else { return "exit \(exitCode): \(output.suffix(200))" }
        for check in checks {
            switch check {
            case .contains(let text) where !output.contains(text):
                return "the output does not contain '\(text)': \(output.prefix(200))"
            case .top(let object, let key):
                let totals = Self.totals(of: object, in: (try? JSONSerialization.jsonObject(with: Data(output.utf8))) ?? [:])
                guard let best = totals.max(by: { $0.value < $1.value }) else { return "no object '\(object)' with numbers in the output" }
                if best.key != key {
                    return "the largest under '\(object)' is \(best.key) (\(DrillFormat.number(best.value))), not \(key) "
                        + "(\(DrillFormat.number(totals[key] ?? 0)))"
                }
            default:
                continue
            }
        }
        return nil
    }

    /// Numbers summed per key over every object stored under `object`, anywhere in `json`.
    static func totals(of object: String, in json: Any) -> [String: Double] {
        var result: [String: Double] = [:]
        func walk(_ value: Any) {
            if let dict = value as? [String: Any] {
                for (k, v) in dict {
                    if k == object, let inner = v as? [String: Any] {
                        for (name, number) in inner { if let n = (number as? NSNumber)?.doubleValue { result[name, default: 0] += n } }
                    }
                    walk(v)
                }
            } else if let list = value as? [Any] {
                list.forEach(walk)
            }
        }
        walk(json)
        return result
    }
}
