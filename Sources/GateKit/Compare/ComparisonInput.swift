import DrillKit
import FiredrillSupport
import Foundation
import LoadKit

/// A file given to `firedrill compare`, recognised by its content: a load summary (`firedrill load
/// --json`) or a drill journal (`journal.json` of `firedrill drill`).
public enum ComparisonInput: Sendable {
    case load(RunRecord)
    case journal(DrillJournal)

    /// Reads and recognises `path`.
    /// - Throws: `GateError` naming the file: unreadable, empty, truncated, a Locust CSV, JSON of another kind.
    public static func read(_ path: String) throws(GateError) -> ComparisonInput {
        let data: Data
        do {
            data = try FileBytes.read(path)
        } catch {
            throw GateError("\(path): \(error.reason)")
        }
        guard !data.isEmpty else { throw GateError("\(path): the file is empty") }
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        if let object, object["runbook"] != nil, object["keyTimes"] != nil {
            do {
                return .journal(try JournalJSON.decode(data))
            } catch {
                throw GateError("\(path): looks like a drill journal but does not read as one (\(error))")
            }
        }
        do {
            return .load(try RunRecord.decode(data, path: path))
        } catch {
            throw GateError("\(error)")
        }
    }

    /// Compares two inputs of the same kind.
    /// - Throws: `GateError` when the kinds differ or the runs cannot be compared.
    public static func compare(_ base: ComparisonInput, _ new: ComparisonInput, baseLabel: String, newLabel: String,
                               settings: GateSettings) throws(GateError) -> ComparisonReport {
        switch (base, new) {
        case (.load(let b), .load(let n)):
            return try RunComparison.compare(base: b, new: n, baseLabel: baseLabel, newLabel: newLabel, settings: settings)
        case (.journal(let b), .journal(let n)):
            return try JournalComparison.compare(base: b, new: n, baseLabel: baseLabel, newLabel: newLabel, settings: settings)
        default:
            throw GateError("\(baseLabel) and \(newLabel) are of different kinds (a load summary and a drill journal)")
        }
    }
}
