/// Names a template may refer to.
struct Symbols {
    var variables: [String: Int] = [:]
    var feeders: [String: Int] = [:]
    var feederList: [Feeder] = []
    var userVariables: [String: Int] = [:]
    var userVariableNames: [String] = []
}
