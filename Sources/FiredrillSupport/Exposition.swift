/// One sample line of Prometheus' text exposition format.
public struct ExpositionSample: Sendable, Equatable {
    /// The metric name (`http_requests_total`, `…_bucket`).
    public var name: String
    public var labels: [String: String]
    public var value: Double
    /// The series as written before the value (`name{a="1",b="2"}`): a key for merging expositions
    /// rendered by the same code.
    public var series: String

    init(name: String, labels: [String: String], value: Double, series: String? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.series = series ?? name
    }

    public static func == (a: ExpositionSample, b: ExpositionSample) -> Bool {
        a.name == b.name && a.labels == b.labels && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// A metric family's `# TYPE` and `# HELP`.
public struct MetricFamily: Sendable, Equatable {
    public var name: String
    /// `counter`, `gauge`, `histogram`, `summary` or `untyped`.
    public var type: String
    public var help: String
}

/// Prometheus' text exposition format (what `/metrics` serves), parsed: families and samples in
/// the order they appear. Malformed lines are skipped, timestamps ignored.
public struct Exposition: Sendable {
    public var families: [MetricFamily] = []
    public var samples: [ExpositionSample] = []

    public init(parsing text: String) {
        var help: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1)
                if let name = parts.first { help[String(name)] = parts.count > 1 ? String(parts[1]) : "" }
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                if parts.count == 2 { families.append(MetricFamily(name: String(parts[0]), type: String(parts[1]), help: help[String(parts[0])] ?? "")) }
            } else if !line.hasPrefix("#"), let sample = Self.sample(Substring(line)) {
                samples.append(sample)
            }
        }
    }

    /// The sample lines of `text`.
    public static func parse(_ text: String) -> [ExpositionSample] { Exposition(parsing: text).samples }

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
        let series = line[..<rest.startIndex]
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard let text = fields.first, let value = number(text) else { return nil }
        return ExpositionSample(name: String(name), labels: labels, value: value, series: String(series))
    }

    /// A sample value: a decimal, `+Inf`, `-Inf` or `NaN`.
    public static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf", "Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }
}

import Foundation
