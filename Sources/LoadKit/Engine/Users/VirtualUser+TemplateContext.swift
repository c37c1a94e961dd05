/// Values for templates: variables per iteration, feeder rows, extracted values, built-ins.
extension VirtualUser {
    func value(of ref: ValueRef) throws(RenderError) -> TemplateValue {
        switch ref {
        case .variable(let i):
            if variableCache.isEmpty { variableCache = Array(repeating: nil, count: ctx.plan.plan.variables.count) }
            if let v = variableCache[i] { return v }
            let v = ctx.plan.plan.variables[i].generate(using: &ctx.rng)
            variableCache[i] = v
            return v
        case .column(let feeder, let column):
            return feeders[feeder].rows[try row(of: feeder)][column]
        case .userVariable(let i):
            if i < slots.count, let v = slots[i] { return v }
            if i < ctx.globals.count, let v = ctx.globals[i] { return v }
            throw .unsetVariable(ctx.plan.plan.userVariables[i])
        case .userID:
            return .int(number)
        case .iteration:
            return .int(iteration)
        }
    }

    func row(of feeder: Int) throws(RenderError) -> Int {
        if rowCache.isEmpty { rowCache = Array(repeating: -1, count: feeders.count) }
        if rowCache[feeder] >= 0 { return rowCache[feeder] }
        guard let r = feeders[feeder].nextRow(using: &ctx.rng) else {
            throw .feederExhausted(feeders[feeder].name)
        }
        rowCache[feeder] = r
        return r
    }
}
