import Yams

/// Size limits that keep a hostile scenario from exhausting memory: the file's size, and the number of
/// YAML nodes once aliases are expanded (nested aliases, a "billion laughs", grew to 1.5 GB).
extension ScenarioParser {
    /// Largest scenario file accepted, in bytes (1 MiB; the shipped scenarios are under 5 KiB).
    public static let maxFileBytes = 1 << 20
    /// Most YAML nodes (scalars, lists, mappings) a scenario may have with every alias expanded.
    public static let maxNodes = 100_000

    func checkSize(_ byteCount: Int) throws(ScenarioError) {
        guard byteCount <= Self.maxFileBytes else {
            throw ScenarioError(
                file: file, line: 0, key: "",
                message: "the scenario is \(byteCount) bytes; at most \(Self.maxFileBytes) (1 MiB) are accepted")
        }
    }

    /// Walks `root` as every consumer would see it (aliases expanded) and stops at ``maxNodes``, naming the
    /// line where the alias that overflowed it is used. Yams shares an alias's subtree, so composing is
    /// cheap; walking it is what explodes, and this walk gives up after `maxNodes` steps.
    func checkExpansion(_ root: Node) throws(ScenarioError) {
        var count = 0
        var seen = Set<String>()
        var overflow: (line: Int, anchor: String?)?

        /// `site`: the line this node is written on as far as the parent knows (its key's line for a mapping
        /// value, the list's line for an item); an alias's own mark is its anchor's. `alias`: the outermost
        /// alias being expanded, with the line it is used on.
        func walk(_ node: Node, site: Int, alias: (line: Int, anchor: String)?) -> Bool {
            count += 1
            var alias = alias
            if let anchor = node.anchor?.rawValue {
                if seen.contains(anchor) {
                    if alias == nil { alias = (site, anchor) }
                } else {
                    seen.insert(anchor)
                }
            }
            if count > Self.maxNodes {
                if let alias {
                    overflow = (alias.line, alias.anchor)
                } else {
                    overflow = (node.mark?.line ?? site, nil)
                }
                return false
            }
            let line = alias == nil ? (node.mark?.line ?? site) : site
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    let keyLine = alias == nil ? (k.mark?.line ?? line) : line
                    guard walk(k, site: keyLine, alias: alias), walk(v, site: keyLine, alias: alias) else { return false }
                }
            case .sequence(let s):
                for item in s {
                    guard walk(item, site: line, alias: alias) else { return false }
                }
            default:
                break
            }
            return true
        }

        guard !walk(root, site: 1, alias: nil), let overflow else { return }
        let limit = "a scenario may have at most \(Self.maxNodes) YAML nodes with aliases expanded"
        if let anchor = overflow.anchor {
            throw ScenarioError(
                file: file, line: overflow.line, key: "",
                message: "alias '*\(anchor)' expands past the limit (nested aliases, a \"billion laughs\"?): \(limit)")
        }
        throw ScenarioError(file: file, line: overflow.line, key: "", message: "too many YAML nodes: \(limit)")
    }
}
