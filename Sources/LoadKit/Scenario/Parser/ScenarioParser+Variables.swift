import Foundation
import Yams

/// The `variables:` and `feeders:` sections.
extension ScenarioParser {
    func variableKind(_ f: YAMLField) throws(ScenarioError) -> Variable.Kind {
        if f.isScalar {
            if (try? f.string()) == "uuid" { return .uuid }
            return .constant(try f.scalarValue())
        }
        let m = try f.mapping(allowed: ["random_int", "random_float", "choice", "uuid", "sequence", "env", "value"])
        guard m.keys.count == 1, let (kind, v) = m.items.first else {
            throw f.error("a variable needs exactly one of: random_int, random_float, choice, uuid, sequence, env, value")
        }
        switch kind {
        case "random_int":
            let (lo, hi) = try v.minMax { f throws(ScenarioError) in try f.int() }
            return .randomInt(lo, hi)
        case "random_float":
            let (lo, hi) = try v.minMax { f throws(ScenarioError) in try f.double() }
            if !(hi - lo).isFinite { throw v.error("the range is too wide (max - min must be a finite number)") }
            return .randomFloat(lo, hi)
        case "choice":
            let items = try v.list()
            if items.isEmpty { throw v.error("needs at least one value") }
            var values: [TemplateValue] = []
            for item in items { values.append(try item.scalarValue()) }
            return .choice(values)
        case "uuid":
            return .uuid
        case "sequence":
            if v.isMapping {
                let s = try v.mapping(allowed: ["start", "step"])
                return .sequence(start: try s["start"]?.int() ?? 1, step: try s["step"]?.int() ?? 1)
            }
            return .sequence(start: try v.int(), step: 1)
        case "env":
            if v.isMapping {
                let e = try v.mapping(allowed: ["name", "default"])
                guard let n = e["name"] else { throw v.error("missing 'name'") }
                let name = try n.string()
                let fallback = try e["default"].map { d throws(ScenarioError) in try d.string() }
                guard let value = environment[name] ?? fallback else {
                    throw n.error("environment variable \(name) is not set and has no default")
                }
                return .env(name: name, value: value)
            }
            let name = try v.string()
            guard let value = environment[name] else {
                throw v.error("environment variable \(name) is not set (add `default:`)")
            }
            return .env(name: name, value: value)
        default:
            return .constant(try v.scalarValue())
        }
    }

    func feeder(_ name: String, _ f: YAMLField) throws(ScenarioError) -> Feeder {
        var fileField = f
        var mode = Feeder.Mode.sequential
        if f.isMapping {
            let m = try f.mapping(allowed: ["file", "mode"])
            guard let file = m["file"] else { throw f.error("missing 'file'") }
            fileField = file
            if let md = m["mode"] {
                let text = try md.string()
                guard let parsed = Feeder.Mode(rawValue: text) else {
                    throw md.error("unknown mode '\(text)'; expected sequential, random or unique")
                }
                mode = parsed
            }
        }
        let path = try fileField.string()
        let text = try readText(path, fileField)
        do {
            return try Feeder(name: name, csv: text, mode: mode)
        } catch {
            throw fileField.error("\(path) line \(error.line): \(error.message)")
        }
    }
}
