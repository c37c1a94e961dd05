/// When the iterations of an open-model run are due, and (for a replay) which task each one runs.
protocol ArrivalTimeline: Sendable {
    /// Seconds the timeline lasts (`.infinity` for a replay that loops until stopped).
    var duration: Double { get }
    /// Seconds from the start at which iteration `k` (0-based) is due, or nil when it is past the end.
    func time(ofIteration k: Int) -> Double?
    /// The task iteration `k` runs (nil: the user class picks one by weight).
    func task(ofIteration k: Int) -> Int?
    /// Iterations due in `[0, t]`.
    func count(at t: Double) -> Int
    /// The rate (per second) at `t` seconds.
    func rate(at t: Double) -> Double
    /// True when the run ends once every iteration was dispatched (rather than after `duration`).
    var endsWhenDispatched: Bool { get }
}

extension ArrivalSchedule: ArrivalTimeline {
    func task(ofIteration k: Int) -> Int? { nil }
    var endsWhenDispatched: Bool { false }
}
