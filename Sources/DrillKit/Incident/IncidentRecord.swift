import Foundation

/// What an incident window looked like, read from Prometheus: the service's curves and the alert
/// timeline, in **incident seconds** from the window's start. A generated runbook embeds it (a
/// fenced ```` ```incident ```` JSON block) so a drill run can be scored against it (`FidelityScore`).
public struct IncidentRecord: Sendable, Codable, Equatable {
    /// The curves a record keeps, by name (the keys of `curves`).
    public enum Curve: String, Sendable, Codable, CaseIterable {
        /// Requests per second the service answered (all routes but `/metrics`).
        case requestRate = "request_rate"
        /// Fraction of them answered 5xx.
        case errorRatio = "error_ratio"
        /// p95 latency, seconds.
        case p95Seconds = "p95_seconds"
        /// Memory in use as a fraction of the budget.
        case memoryRatio = "memory_ratio"
    }

    /// One alert's firing span.
    public struct AlertSpan: Sendable, Codable, Equatable {
        public var name: String
        /// The alert's `severity` label, if any.
        public var severity: String?
        /// Incident seconds at which it was first seen firing.
        public var firingAt: Double
        /// Incident seconds at which it stopped firing (nil: still firing at the window's end).
        public var resolvedAt: Double?
        /// Incident seconds at which it was first seen pending (orders alerts that fired together).
        public var pendingAt: Double?

        public init(name: String, severity: String? = nil, firingAt: Double, resolvedAt: Double? = nil, pendingAt: Double? = nil) {
            self.name = name
            self.severity = severity
            self.firingAt = firingAt
            self.resolvedAt = resolvedAt
            self.pendingAt = pendingAt
        }

        /// Fired first; among alerts that fired together, pending first; then by name.
        public static func precedes(_ a: AlertSpan, _ b: AlertSpan) -> Bool {
            (a.firingAt, a.pendingAt ?? a.firingAt, a.name) < (b.firingAt, b.pendingAt ?? b.firingAt, b.name)
        }
    }

    /// The Prometheus job the window describes.
    public var job: String
    /// The window, wall-clock.
    public var from: Date
    public var to: Date
    /// Incident seconds per wall second of the recorded window (1 for a real incident; 30 for a
    /// drill recorded at time scale 1/30).
    public var incidentSecondsPerSecond: Double
    /// Incident seconds between two samples of every curve.
    public var step: Double
    /// Each curve's samples at `0, step, 2·step, …` (nil where Prometheus had no value).
    public var curves: [String: [Double?]]
    /// Request rate per route (`route` label), same sampling: the route mix.
    public var routes: [String: [Double?]]
    /// Alerts seen firing in the window, by first firing time.
    public var alerts: [AlertSpan]

    public init(job: String, from: Date, to: Date, incidentSecondsPerSecond: Double = 1, step: Double,
                curves: [String: [Double?]], routes: [String: [Double?]] = [:], alerts: [AlertSpan]) {
        self.job = job
        self.from = from
        self.to = to
        self.incidentSecondsPerSecond = incidentSecondsPerSecond
        self.step = step
        self.curves = curves
        self.routes = routes
        self.alerts = alerts
    }

    /// Length of the window in incident seconds.
    public var duration: Double { to.timeIntervalSince(from) * incidentSecondsPerSecond }

    /// A curve's samples (empty when absent).
    public func curve(_ curve: Curve) -> [Double?] { curves[curve.rawValue] ?? [] }

    /// Names of the alerts in the order they first fired (see `AlertSpan.precedes`).
    public var alertOrder: [String] { alerts.sorted(by: AlertSpan.precedes).map(\.name) }

    /// The last value of `curve` that is not nil.
    public func last(_ curve: Curve) -> Double? { self.curve(curve).last { $0 != nil } ?? nil }

    /// The largest value of `curve`.
    public func peak(_ curve: Curve) -> Double? { self.curve(curve).compactMap { $0 }.max() }
}

extension IncidentRecord {
    /// The record of a generated runbook's ```` ```incident ```` block; nil when it has none.
    /// - Throws: `DrillError` at the block's line when it is not a record.
    public static func embedded(in markdown: String, file: String) throws -> IncidentRecord? {
        let blocks = Runbook.fencedBlocks(markdown: markdown).filter { $0.words.first == "incident" }
        guard let block = blocks.first else { return nil }
        guard blocks.count == 1 else {
            throw DrillError(file: file, line: abs(blocks[1].line), message: "a second ```incident block; a runbook holds at most one")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let record = try decoder.decode(IncidentRecord.self, from: Data(block.text.utf8))
            guard record.step > 0 else { throw DrillError(file: file, line: abs(block.line), path: "step", message: "must be above 0") }
            return record
        } catch let error as DrillError {
            throw error
        } catch let DecodingError.keyNotFound(key, _) {
            throw DrillError(file: file, line: abs(block.line), path: key.stringValue, message: "missing from the ```incident record")
        } catch {
            throw DrillError(file: file, line: abs(block.line), message: "the ```incident block is not an incident record: \(error)")
        }
    }
}
