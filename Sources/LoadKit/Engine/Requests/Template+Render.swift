import FiredrillSupport

extension Template {
    /// Renders the template to text.
    func render(_ ctx: some TemplateContext) throws(RenderError) -> String {
        if parts.count == 1, case .literal(let s) = parts[0] { return s }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .ref(let r): out += try ctx.value(of: r).text
            }
        }
        return out
    }
}

extension JSONTemplate {
    /// Appends the rendered JSON to `out`.
    func render(into out: inout String, _ ctx: some TemplateContext) throws(RenderError) {
        switch self {
        case .object(let members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += "," }
                out += JSONText.quoted(try m.key.render(ctx))
                out += ":"
                try m.value.render(into: &out, ctx)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                try item.render(into: &out, ctx)
            }
            out += "]"
        case .string(let t):
            if let ref = t.soleReference {
                out += try ctx.value(of: ref).jsonText
            } else {
                out += JSONText.quoted(try t.render(ctx))
            }
        case .literal(let s):
            out += s
        }
    }
}
