/// One steady-state check, run before the method and after it (Chaos Toolkit's probe with tolerance).
public struct Probe: Sendable, Equatable {
    /// What the probe checks, with its tolerance.
    public enum Check: Sendable, Equatable {
        /// A PromQL query; every returned sample must lie within the tolerance (no sample fails).
        case prometheus(query: String, tolerance: Tolerance)
        /// An HTTP GET of `path` on the service, which must answer `status` within `timeout`.
        case http(path: String, status: Int, timeout: PromDuration)
    }

    /// A human-readable name, shown in the journal.
    public var name: String
    /// The check.
    public var check: Check
    /// The probe's line in the Markdown file.
    public var line: Int

}
