import Foundation

/// Loads a scenario file into a ``LoadPlan``.
public enum ScenarioLoader {
    /// Reads and validates `path`; throws ``ScenarioError`` naming the line and key at fault.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ScenarioError) -> LoadPlan {
        let parser = ScenarioParser(file: path, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                    environment: environment)
        // Refuse an oversized file before reading it into memory.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int {
            try parser.checkSize(size)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(file: path, line: 0, key: "", message: "cannot read the scenario file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: path, line: 0, key: "", message: "the scenario is not UTF-8 text")
        }
        return try parser.parse(text)
    }
}
