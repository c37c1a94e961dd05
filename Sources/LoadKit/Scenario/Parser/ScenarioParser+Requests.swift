import Foundation
import Yams

/// One request of a task, `on_start` or `setup`, and its body.
extension ScenarioParser {
    func request(
        _ f: YAMLField, compiler: TemplateCompiler, feeders: [Feeder], ignoring: [String] = []
    ) throws(ScenarioError) -> RequestSpec {
        let m = try f.mapping(allowed: Self.requestKeys + ignoring)
        var method = "GET"
        var pathField: YAMLField?
        for key in Self.methods {
            if let p = m[key] {
                if pathField != nil { throw p.error("give one method key per request") }
                method = key.uppercased()
                pathField = p
            }
        }
        if let p = m["path"] {
            if pathField != nil { throw p.error("use either 'path' or a method key such as 'get', not both") }
            pathField = p
        }
        if let mf = m["method"] {
            if m.keys.contains(where: Self.methods.contains) { throw mf.error("the method is already given by its key") }
            method = try mf.string().uppercased()
            guard !method.isEmpty, method.allSatisfy({ $0.isLetter }) else { throw mf.error("bad method '\(method)'") }
        }
        guard let pathField else { throw f.error("missing 'path' (or a method key such as 'get: /path')") }
        let pathText = try pathField.string()
        let path = try compiler.template(pathField)
        let defaultName = pathText.split(separator: "?", maxSplits: 1).first.map(String.init) ?? pathText
        var spec = RequestSpec(name: try m["name"]?.string() ?? defaultName, method: method, path: path)
        if let q = m["query"] { spec.query = try compiler.named(q) }
        if let h = m["headers"] { spec.headers = try compiler.headers(h) }
        spec.body = try body(m, compiler: compiler, feeders: feeders)
        if let c = m["checks"] { spec.checks = try checks(c) }
        if let e = m["extract"] {
            for (name, pf) in try e.mapping() {
                guard let slot = compiler.symbols.userVariables[name] else {
                    throw pf.error("'\(name)' is already a generated variable")
                }
                spec.extract.append(Extraction(variable: slot, path: try jsonPath(pf)))
            }
        }
        if let t = m["timeout"] { spec.timeout = try t.positiveDuration() }
        if let p = m["poll"] { spec.poll = try poll(p) }
        if let r = m["follow_redirects"] { spec.followRedirects = try r.bool() }
        return spec
    }

    func body(_ m: OrderedFields, compiler: TemplateCompiler, feeders: [Feeder]) throws(ScenarioError) -> BodySpec {
        let kinds = ["json", "text", "form", "file", "json_row"].filter { m[$0] != nil }
        if kinds.count > 1 { throw m[kinds[1]]!.error("a request has one body; also given: \(kinds[0])") }
        if let ct = m["content_type"], kinds.isEmpty { throw ct.error("content_type needs a body (text, file…)") }
        let contentType = try m["content_type"]?.string()
        guard let kind = kinds.first, let f = m[kind] else { return .none }
        switch kind {
        case "json":
            return .json(try compiler.json(f))
        case "text":
            return .text(try compiler.template(f), contentType: contentType ?? "text/plain; charset=utf-8")
        case "form":
            return .form(try compiler.named(f))
        case "file":
            var pathField = f
            var type = contentType
            var field: String?
            var filename: String?
            if f.isMapping {
                let fm = try f.mapping(allowed: ["path", "content_type", "field", "filename"])
                guard let p = fm["path"] else { throw f.error("missing 'path'") }
                pathField = p
                type = try fm["content_type"]?.string() ?? type
                field = try fm["field"]?.string()
                filename = try fm["filename"]?.string()
            }
            let path = try pathField.string()
            let url = resolve(path)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw pathField.error("file not found: \(path) (looked in \(url.path))")
            }
            let guessed = Self.contentType(forExtension: url.pathExtension)
            if let field {
                return .multipart(field: field, filename: filename ?? url.lastPathComponent, bytes: Array(data),
                                  contentType: type ?? guessed)
            }
            return .bytes(Array(data), contentType: type ?? guessed)
        default:
            let jm = try f.mapping(allowed: ["feeder", "exclude", "include", "count"])
            guard let ff = jm["feeder"] else { throw f.error("missing 'feeder'") }
            let name = try ff.string()
            guard let index = compiler.symbols.feeders[name] else {
                throw ff.error("unknown feeder '\(name)'; declared: \(compiler.symbols.feeders.keys.sorted().joined(separator: ", "))")
            }
            let feeder = feeders[index]
            func columns(_ field: YAMLField) throws(ScenarioError) -> [Int] {
                var out: [Int] = []
                for item in field.listOrSingle() {
                    let c = try item.string()
                    guard let i = feeder.columnIndex(c) else {
                        throw item.error("feeder '\(name)' has no column '\(c)'; columns: \(feeder.columns.joined(separator: ", "))")
                    }
                    out.append(i)
                }
                return out
            }
            var selected = Array(feeder.columns.indices)
            if let inc = jm["include"] { selected = try columns(inc) }
            if let exc = jm["exclude"] {
                let drop = try columns(exc)
                selected.removeAll { drop.contains($0) }
            }
            let count = try jm["count"]?.int(min: 1)
            return .feederRow(feeder: index, columns: selected, count: count)
        }
    }

    static func contentType(forExtension ext: String) -> String {
        switch ext.lowercased() {
        case "csv": return "text/csv"
        case "json": return "application/json"
        case "txt": return "text/plain"
        case "xml": return "application/xml"
        case "html": return "text/html"
        default: return "application/octet-stream"
        }
    }
}
