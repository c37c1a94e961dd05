import Yams

/// Yams' errors as ``ScenarioError``s with a line and the key at fault.
extension ScenarioParser {
    static func convert(_ error: YamlError, file: String, text: String) -> ScenarioError {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? ""
            // The error marks the mapping; point at the second occurrence of the key after it.
            var line = context.mark.line
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            var seen = 0
            for (i, l) in lines.enumerated() where i + 1 >= context.mark.line {
                var t = l.drop { $0 == " " || $0 == "-" }
                if t.hasPrefix("\"") || t.hasPrefix("'") { t = t.dropFirst() }
                if t.hasPrefix(key + ":") || t.hasPrefix(key + "\":") || t.hasPrefix(key + "':") {
                    seen += 1
                    if seen == 2 {
                        line = i + 1
                        break
                    }
                }
            }
            return ScenarioError(file: file, line: line, key: key, message: "duplicate key '\(key)'")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: ": ")
            return ScenarioError(file: file, line: mark.line, column: mark.column, key: "", message: "YAML syntax error: \(text)")
        default:
            return ScenarioError(file: file, line: 0, key: "", message: "YAML error: \(error)")
        }
    }
}
