import DrillKit
import Foundation
import Synchronization

/// A drill as the web UI follows it: the runner's live view, the steps so far (from its `onStep`
/// callback), then the journal. Safe from any thread.
public final class DrillWatch: Sendable {
    /// One step as the page lists it.
    struct StepRow: Encodable, Sendable {
        var title: String
        /// `running`, `passed`, `failed` or `skipped`.
        var outcome: String
        var detail: String
        var line: Int?
        var seconds: Double?
    }

    /// What the page receives every second over `/stream`.
    struct Frame: Encodable, Sendable {
        var seq: Int
        var state: String
        var title: String
        var runbook: String
        var live: DrillLiveView?
        var steps: [StepRow]
        var passed: Bool?
        var reason: String?
    }

    /// The drill's title and runbook path.
    public let title: String
    public let runbook: String
    private let state = Mutex(State())

    private struct State {
        var runner: DrillRunner?
        var steps: [StepRow] = []
        var journal: DrillJournal?
        var seq = 0
    }

    /// Follows the drill `title` of `runbook`; attach its runner with ``attach(_:)``.
    public init(title: String, runbook: String) {
        self.title = title
        self.runbook = runbook
    }

    /// The runner whose live view the page shows.
    public func attach(_ runner: DrillRunner) {
        state.withLock { $0.runner = runner }
    }

    /// Pass to ``DrillRunner/Options/onStep``: a step started (`result` nil) or ended.
    public func step(_ title: String, _ result: DrillJournal.StepResult?) {
        state.withLock { s in
            s.seq += 1
            guard let result else {
                s.steps.append(StepRow(title: title, outcome: "running", detail: "", line: nil, seconds: nil))
                return
            }
            let row = StepRow(title: result.title, outcome: result.outcome.rawValue, detail: result.detail, line: result.line,
                              seconds: result.seconds)
            if let i = s.steps.lastIndex(where: { $0.title == title && $0.outcome == "running" }) {
                s.steps[i] = row
            } else {
                s.steps.append(row)
            }
        }
    }

    /// The drill ended: the page becomes its report.
    public func finish(_ journal: DrillJournal) {
        state.withLock { s in
            s.journal = journal
            s.seq += 1
        }
    }

    /// The finished journal (nil while the drill runs).
    public var journal: DrillJournal? { state.withLock { $0.journal } }

    /// The frame for the page (`seq` moves with every step and at the end).
    func frame() -> Frame {
        let (runner, steps, journal, seq) = state.withLock { ($0.runner, $0.steps, $0.journal, $0.seq) }
        let live = runner?.live
        let name = journal != nil ? "finished" : runner == nil ? "starting" : "running"
        return Frame(
            seq: seq, state: name,
            title: title, runbook: runbook, live: live, steps: steps, passed: journal?.passed, reason: journal?.reason)
    }
}
