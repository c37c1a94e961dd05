import FiredrillSupport

/// Merges the Prometheus text of several workers into one exposition: counters and histograms
/// are summed, gauges take the largest value.
struct MetricsMerger {
    /// A family's type and help, by metric family name.
    private var families: [String: (type: String, help: String)] = [:]
    private var familyOrder: [String] = []
    private var samples: [String: [String: Double]] = [:]
    private var sampleOrder: [String: [String]] = [:]
    /// Families left out (the caller renders them itself).
    var excluded: Set<String> = []

    /// Parses one exposition text and folds it in.
    mutating func add(_ text: String) {
        let exposition = Exposition(parsing: text)
        for family in exposition.families where families[family.name] == nil {
            families[family.name] = (family.type, family.help)
            familyOrder.append(family.name)
        }
        for sample in exposition.samples { addSample(key: sample.series, value: sample.value) }
    }

    /// Adds one sample (`name{labels}` → value) with its family's rule.
    mutating func addSample(key: String, value: Double) {
        let family = Self.family(of: key, known: families)
        if samples[family] == nil { samples[family] = [:] }
        if let existing = samples[family]![key] {
            samples[family]![key] = families[family]?.type == "gauge" ? max(existing, value) : existing + value
        } else {
            samples[family]![key] = value
            sampleOrder[family, default: []].append(key)
        }
    }

    /// The merged exposition text.
    func render() -> String {
        var out = ""
        for name in familyOrder where !excluded.contains(name) {
            guard let family = families[name] else { continue }
            if !family.help.isEmpty { out += "# HELP \(name) \(family.help)\n" }
            out += "# TYPE \(name) \(family.type)\n"
            for key in sampleOrder[name] ?? [] { out += "\(key) \(Self.format(samples[name]![key]!))\n" }
        }
        return out
    }

    /// Counter and histogram samples of this text, for carrying a dead worker's totals over.
    static func cumulativeSamples(_ text: String) -> [String: Double] {
        var merger = MetricsMerger()
        merger.add(text)
        var result: [String: Double] = [:]
        for (family, values) in merger.samples where merger.families[family]?.type != "gauge" {
            result.merge(values) { $0 + $1 }
        }
        return result
    }

    static func family(of key: String, known: [String: (type: String, help: String)]) -> String {
        let name = key.split(separator: "{", maxSplits: 1).first.map(String.init) ?? key
        if known[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if known[base] != nil { return base }
        }
        return name
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
