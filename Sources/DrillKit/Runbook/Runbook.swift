import Foundation
import Yams

/// A Markdown runbook and the drill in its one fenced ```` ```drill ```` block.
public struct Runbook: Sendable {
    /// The file name used in error messages.
    public let file: String
    /// The drill.
    public let drill: Drill
    /// The line of the opening ```` ```drill ```` fence.
    public let blockLine: Int

    /// Parses `markdown`, requiring exactly one ```` ```drill ```` block.
    ///
    /// - Parameters:
    ///   - file: the path shown in errors (`file:line: key.path: message`).
    ///   - variables: overrides for the drill's `variables` (from the CLI); unknown names are refused.
    ///   - timeScale: overrides the drill's `time_scale`.
    /// - Throws: `DrillError`.
    public static func parse(markdown: String, file: String, variables: [String: String] = [:],
                             timeScale: Double? = nil) throws -> Runbook {
        let (yaml, line) = try extractBlock(markdown: markdown, file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw yamlError(error, file: file, blockLine: line)
        } catch {
            throw DrillError(file: file, line: line, message: "invalid YAML: \(error)")
        }
        guard let node else {
            throw DrillError(file: file, line: line, message: "the drill block is empty")
        }
        var decoder = DrillDecoder(file: file, blockLine: line, overrides: variables)
        var drill = try decoder.drill(node)
        if let diagnose = (drill.method + drill.rollbacks).first(where: { if case .diagnose = $0.kind { true } else { false } }),
           try DiagnosisBlock.all(in: markdown, file: file).isEmpty {
            throw DrillError(file: file, line: diagnose.line, path: "diagnose",
                             message: "the runbook has no diagnosis block to run: mark its Diagnosis queries and commands, e.g. ```promql diagnosis min=0.9")
        }
        if let timeScale {
            guard timeScale > 0, timeScale <= 1 else {
                throw DrillError(file: file, line: line, path: "time_scale",
                                 message: "the override must be in (0, 1], got \(timeScale)")
            }
            drill.timeScale = timeScale
        }
        return Runbook(file: file, drill: drill, blockLine: line)
    }

    /// A fenced code block of a Markdown file: its info string, its text and the line of its opening fence.
    public struct FencedBlock: Sendable, Equatable {
        /// Everything after the fence on the opening line (`promql diagnosis min=0.9`).
        public var info: String
        /// The words of `info`; the first is the block's language.
        public var words: [String] { info.split(separator: " ").map(String.init) }
        public var text: String
        /// 1-based line of the opening fence.
        public var line: Int
        /// The nearest `#` heading above the block (without the hashes), or "".
        public var heading: String
    }

    /// Every fenced block (``` or ~~~, at most 3 spaces of indent) of `markdown`, in order; an
    /// unclosed last block is returned with `line` negated.
    public static func fencedBlocks(markdown: String) -> [FencedBlock] {
        var blocks: [FencedBlock] = []
        var open: (fence: String, info: String, line: Int, heading: String, lines: [Substring])?
        var heading = ""
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        for (index, raw) in lines.enumerated() {
            let stripped = raw.drop(while: { $0 == " " })
            if var current = open {
                if raw.count - stripped.count <= 3, stripped.hasPrefix(current.fence),
                   stripped.drop(while: { $0 == current.fence.first }).allSatisfy({ $0 == " " || $0 == "\t" }) {
                    blocks.append(.init(info: current.info, text: current.lines.joined(separator: "\n"), line: current.line,
                                        heading: current.heading))
                    open = nil
                } else {
                    current.lines.append(raw)
                    open = current
                }
                continue
            }
            if raw.hasPrefix("#") {
                heading = String(raw.drop(while: { $0 == "#" })).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard raw.count - stripped.count <= 3, let mark = stripped.first, mark == "`" || mark == "~" else { continue }
            let fence = String(stripped.prefix(while: { $0 == mark }))
            guard fence.count >= 3 else { continue }
            let info = stripped.dropFirst(fence.count).trimmingSet(" \t")
            open = (fence, info, index + 1, heading, [])
        }
        if let open {
            blocks.append(.init(info: open.info, text: open.lines.joined(separator: "\n"), line: -open.line, heading: open.heading))
        }
        return blocks
    }

    /// Finds the one ```` ```drill ```` block: its text and the line of its opening fence.
    static func extractBlock(markdown: String, file: String) throws -> (String, Int) {
        let all = fencedBlocks(markdown: markdown).filter { $0.words.first == "drill" }
        if let unclosed = all.first(where: { $0.line < 0 }) {
            throw DrillError(file: file, line: -unclosed.line, message: "the ```drill block is never closed")
        }
        guard let first = all.first else {
            throw DrillError(file: file, line: 1, message: "no ```drill block found (a runbook needs exactly one)")
        }
        guard all.count == 1 else {
            throw DrillError(file: file, line: all[1].line,
                             message: "a second ```drill block (the first is at line \(first.line)); a runbook holds exactly one")
        }
        return (first.text, first.line)
    }

    static func yamlError(_ error: YamlError, file: String, blockLine: Int) -> DrillError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return DrillError(file: file, line: blockLine + mark.line, message: "invalid YAML: \(text)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DrillError(file: file, line: blockLine + context.mark.line,
                              message: "duplicated key \(duplicates.joined(separator: ", "))")
        default:
            return DrillError(file: file, line: blockLine, message: "invalid YAML: \(error)")
        }
    }
}

extension Substring {
    fileprivate func trimmingSet(_ set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
