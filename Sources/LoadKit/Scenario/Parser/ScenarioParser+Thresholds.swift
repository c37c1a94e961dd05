import Yams

/// The `thresholds:` section.
extension ScenarioParser {
    func threshold(_ f: YAMLField) throws(ScenarioError) -> Threshold {
        var exprField = f
        var name: String?
        var abort = false
        var delay = 0.0
        if f.isMapping {
            let m = try f.mapping(allowed: ["expr", "name", "abort_on_fail", "delay"])
            guard let e = m["expr"] else { throw f.error("missing 'expr'") }
            exprField = e
            name = try m["name"]?.string()
            abort = try m["abort_on_fail"]?.bool() ?? false
            delay = try m["delay"]?.duration() ?? 0
        }
        let text = try exprField.string()
        do {
            return try Threshold(text, name: name, abortOnFail: abort, delay: delay)
        } catch {
            throw exprField.error("bad threshold expression \"\(error.expression)\": \(error.message)")
        }
    }
}
