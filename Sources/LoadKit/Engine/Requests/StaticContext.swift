/// A context for static requests: any reference is an error (never reached for static templates).
struct StaticContext: TemplateContext {
    var feeders: [Feeder] { [] }
    func value(of ref: ValueRef) throws(RenderError) -> TemplateValue { throw .unsetVariable("?") }
    func row(of feeder: Int) throws(RenderError) -> Int { throw .feederExhausted("?") }
}
