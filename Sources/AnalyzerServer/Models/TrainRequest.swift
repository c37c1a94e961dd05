import AnalyzerCore
import Foundation

/// The body of `POST /api/models` (and the HTML training form).
struct TrainRequest: Decodable, Sendable {
    var dataset: String
    var target: String
    var task: String?
    var algorithm: String
    var params: [String: ParamValue]?
    var testFraction: Double?
    var seed: UInt64?
    var testIndices: [Int]?
    var name: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataset, target, task, algorithm, params, seed, name
        case testFraction = "test_fraction"
        case testIndices = "test_indices"
    }

    /// Decodes a JSON body, refusing unknown keys and naming the field at fault.
    static func decode(_ data: Data) throws -> TrainRequest {
        let object = try JSON.object(data, expected: "body must be a JSON object")
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw AnalyzerError.invalid(
                "unknown_field", "unknown field '\(unknown)'; expected: \(known.sorted().joined(separator: ", "))")
        }
        for required in ["dataset", "target", "algorithm"] where object[required] == nil {
            throw AnalyzerError.invalid("missing_field", "field '\(required)' is required")
        }
        try checkSeed(data, present: object["seed"] != nil)
        do {
            return try JSONDecoder().decode(TrainRequest.self, from: data)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = Self.jsonPath(context.codingPath)
            throw AnalyzerError.invalid("invalid_field", "field '\(field)' must be \(Self.describe(type, at: context.codingPath))")
        } catch let DecodingError.dataCorrupted(context) {
            let field = Self.jsonPath(context.codingPath)
            throw AnalyzerError.invalid("invalid_field", "field '\(field)': \(context.debugDescription)")
        }
    }

    /// `seed` is a UInt64; `JSONDecoder` reports -1 or 2^64 without naming the field, so the
    /// field is decoded alone first.
    private struct SeedField: Decodable { var seed: UInt64? }

    private static func checkSeed(_ data: Data, present: Bool) throws {
        guard present, (try? JSONDecoder().decode(SeedField.self, from: data)) == nil else { return }
        throw AnalyzerError.invalid("invalid_field", "field 'seed' must be an integer in 0…\(UInt64.max)")
    }

    /// A coding path in JSON terms: `params.alpha`, `test_indices[0]`.
    private static func jsonPath(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { text, key in
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
    }

    private static func describe(_ type: Any.Type, at path: [any CodingKey]) -> String {
        switch type {
        case is String.Type: "a string"
        case is Double.Type: "a number"
        case is UInt64.Type, is Int.Type: "an integer"
        case is [Int].Type: "a list of integers"
        case is [String: Any].Type: "an object"
        // JSONDecoder names the container it expected; the field says which one.
        case is [Any].Type: path.last?.stringValue == CodingKeys.testIndices.rawValue ? "a list of integers" : "a list"
        default: "of type \(type)"
        }
    }

    /// Validates the choices and builds the core's configuration.
    func trainingConfig() throws -> TrainingConfig {
        guard let algorithm = Algorithm(rawValue: algorithm) else {
            let choices = Algorithm.allCases.map(\.rawValue).joined(separator: ", ")
            throw AnalyzerError.invalid("unknown_algorithm", "unknown algorithm '\(self.algorithm)'; expected one of: \(choices)")
        }
        let taskChoice: TaskChoice
        if let task {
            guard let choice = TaskChoice(rawValue: task) else {
                throw AnalyzerError.invalid("invalid_field", "field 'task' must be one of: auto, classification, regression")
            }
            taskChoice = choice
        } else {
            taskChoice = .auto
        }
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            throw AnalyzerError.invalid("invalid_field", "field 'test_fraction' must be between 0 and 1 (exclusive)")
        }
        var config = TrainingConfig(target: target, algorithm: algorithm)
        config.task = taskChoice
        config.params = params ?? [:]
        config.testFraction = testFraction ?? 0.2
        config.seed = seed ?? 42
        config.testIndices = testIndices
        return config
    }
}
