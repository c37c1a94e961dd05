import Foundation
@testable import LoadKit

/// Writes scenario text (and optional data files) into a fresh temporary directory.
struct ScenarioDir {
    let url: URL

    init(files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("data"), withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    func parse(_ yaml: String, env: [String: String] = [:]) throws(ScenarioError) -> LoadPlan {
        try ScenarioParser(file: "test.yaml", baseDirectory: url, environment: env).parse(yaml)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let iris = """
        sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),target
        5.1,3.5,1.4,0.2,setosa
        7.0,3.2,4.7,1.4,versicolor
        6.3,3.3,6.0,2.5,virginica

        """
}

/// Parses `yaml` and returns the error it must raise.
func scenarioError(_ yaml: String, files: [String: String] = [:], env: [String: String] = [:]) throws -> ScenarioError {
    let dir = try ScenarioDir(files: files)
    do {
        _ = try dir.parse(yaml, env: env)
    } catch {
        return error
    }
    throw PlanError(message: "expected the scenario to be refused")
}
