import Yams

/// Compiles `${name}` templates in scenario strings against the declared variables and feeders.
struct TemplateCompiler {
    let symbols: Symbols

    /// Compiles a scalar string field.
    func template(_ f: YAMLField) throws(ScenarioError) -> Template {
        let text = try f.string()
        return try compile(text, f)
    }

    func compile(_ text: String, _ f: YAMLField) throws(ScenarioError) -> Template {
        let raw: [Template.RawPart]
        do {
            raw = try Template.tokenize(text)
        } catch {
            throw f.error(error.message)
        }
        var parts: [Template.Part] = []
        for piece in raw {
            switch piece {
            case .literal(let s): parts.append(.literal(s))
            case .reference(let name): parts.append(.ref(try resolve(name, f)))
            }
        }
        return Template(parts: parts, source: text)
    }

    /// Resolves a name to where its value comes from.
    func resolve(_ name: String, _ f: YAMLField) throws(ScenarioError) -> ValueRef {
        if name == "user_id" { return .userID }
        if name == "iteration" { return .iteration }
        if let i = symbols.variables[name] { return .variable(i) }
        if let i = symbols.userVariables[name] { return .userVariable(i) }
        if let dot = name.firstIndex(of: ".") {
            let feederName = String(name[..<dot])
            let column = String(name[name.index(after: dot)...])
            guard let fi = symbols.feeders[feederName] else {
                throw f.error("unknown feeder '\(feederName)' in '${\(name)}'\(declared)")
            }
            let feeder = symbols.feederList[fi]
            guard let ci = feeder.columnIndex(column) else {
                throw f.error("feeder '\(feederName)' has no column '\(column)'; columns: \(feeder.columns.joined(separator: ", "))")
            }
            return .column(feeder: fi, column: ci)
        }
        throw f.error("unknown variable '${\(name)}'\(declared)")
    }

    private var declared: String {
        let names = (symbols.variables.keys.sorted() + symbols.userVariableNames
            + symbols.feeders.keys.sorted().map { "\($0).<column>" } + ["user_id", "iteration"])
        return "; known: " + names.joined(separator: ", ")
    }

    /// A mapping of names to templated values (headers, query, form).
    func named(_ f: YAMLField) throws(ScenarioError) -> [NamedTemplate] {
        var out: [NamedTemplate] = []
        for (name, v) in try f.mapping() {
            guard v.isScalar else { throw v.error("expected a string value, got \(v.typeName)") }
            out.append(NamedTemplate(name, try compile(try v.string(), v)))
        }
        return out
    }

    /// Header fields: ``named(_:)`` whose names and values hold no line break (it would end the header
    /// and inject the rest as another header or request).
    func headers(_ f: YAMLField) throws(ScenarioError) -> [NamedTemplate] {
        for (name, v) in try f.mapping() where v.isScalar {
            if NamedTemplate.breaksHeaderLine(name + (try v.string())) {
                throw v.error("header '\(name.debugDescription)' holds a line break or NUL")
            }
        }
        return try named(f)
    }

    /// A JSON body: YAML structure with templated strings; numbers, booleans and null keep their type.
    func json(_ f: YAMLField) throws(ScenarioError) -> JSONTemplate {
        switch f.node {
        case .mapping:
            var members: [JSONMember] = []
            for (k, v) in try f.mapping() {
                members.append(JSONMember(key: try compile(k, v), value: try json(v)))
            }
            return .object(members)
        case .sequence:
            var items: [JSONTemplate] = []
            for item in try f.list() { items.append(try json(item)) }
            return .array(items)
        case .alias:
            throw f.error("YAML aliases are not supported here")
        case .scalar:
            let value = try f.scalarValue()
            if case .string(let s) = value {
                if f.node.scalar?.style == .plain, s.hasPrefix("{") || s.hasPrefix("[") {
                    throw f.error("looks like inline JSON; write it as YAML or quote it")
                }
                return .string(try compile(s, f))
            }
            return .literal(value.jsonText)
        }
    }
}
