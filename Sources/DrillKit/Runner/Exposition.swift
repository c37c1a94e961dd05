/// One sample line of Prometheus' text exposition format.
struct ExpositionSample: Sendable, Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// Parses Prometheus' text exposition format (what `/metrics` serves): sample lines only; comments,
/// blank lines and malformed lines are skipped, timestamps ignored.
enum Exposition {
    static func parse(_ text: String) -> [ExpositionSample] {
        var samples: [ExpositionSample] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            if let sample = sample(Substring(line)) { samples.append(sample) }
        }
        return samples
    }

    private static func sample(_ line: Substring) -> ExpositionSample? {
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let first = rest.first, first != "}" {
                if first == "," || first == " " { rest = rest.dropFirst(); continue }
                let key = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(key.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var value = ""
                var escaped = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(c == "n" ? "\n" : c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        value.append(c)
                    }
                }
                labels[String(key.trimmingCharacters(in: .whitespaces))] = value
            }
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard let text = fields.first, let value = number(text) else { return nil }
        return ExpositionSample(name: String(name), labels: labels, value: value)
    }

    static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf", "Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }
}

import Foundation
