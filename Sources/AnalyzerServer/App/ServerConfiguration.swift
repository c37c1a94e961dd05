import Foundation

/// Everything `csv-analyzer serve` runs with: the flags (``options``, typed, read by name through
/// dynamic member lookup: `configuration.port`, `configuration.memoryLimit`) plus the tunables
/// that are not flags. Defaults start a usable service with no flags; tests set what they need
/// (`var c = ServerConfiguration(); c.port = 0`). Codable as the flags' command line
/// (``ServeOptions/arguments``) plus the tunables: a worker receives its supervisor's settings
/// whole (``WorkerSpec``), so a new flag reaches workers with no edit here.
@dynamicMemberLookup
public struct ServerConfiguration: Sendable, Equatable {
    /// The serve flags.
    public var options: ServeOptions
    /// A worker whose RSS passes this multiple of its share is killed, as an OOM killer would.
    public var oomKillFactor: Double = 1.25
    /// MLflow retry tunables (the tracking server itself is `--mlflow-tracking-uri`).
    public var monitoring = MonitoringSettings()

    /// The configuration `options` describe, with the default tunables.
    public init(options: ServeOptions) { self.options = options }

    /// The defaults of every flag and tunable.
    public init() { self.init(options: .defaults) }

    /// A flag's value, e.g. `configuration.maxUploadSize`.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ServeOptions, Value>) -> Value {
        get { options[keyPath: keyPath] }
        set { options[keyPath: keyPath] = newValue }
    }

    /// `--max-columns` and `--max-batch-rows` as one value.
    var requestLimits: RequestLimits { RequestLimits(maxColumns: options.maxColumns, maxBatchRows: options.maxBatchRows) }

    /// `--header-timeout`, `--body-timeout` and `--idle-timeout` as one value.
    var readTimeouts: ReadTimeouts {
        ReadTimeouts(header: options.headerTimeout, body: options.bodyTimeout, idle: options.idleTimeout)
    }

    /// The error log path, defaulted under the data directory.
    var resolvedErrorLogPath: String {
        options.errorLogPath ?? options.dataDirectory.appendingPathComponent("logs/error.log").path
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.options.arguments == rhs.options.arguments && lhs.oomKillFactor == rhs.oomKillFactor && lhs.monitoring == rhs.monitoring
    }
}

extension ServerConfiguration: Codable {
    private enum CodingKeys: String, CodingKey { case arguments, oomKillFactor, monitoring }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let arguments = try container.decode([String].self, forKey: .arguments)
        do {
            options = try ServeOptions.parse(arguments)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .arguments, in: container, debugDescription: ServeOptions.message(for: error))
        }
        oomKillFactor = try container.decode(Double.self, forKey: .oomKillFactor)
        monitoring = try container.decode(MonitoringSettings.self, forKey: .monitoring)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(options.arguments, forKey: .arguments)
        try container.encode(oomKillFactor, forKey: .oomKillFactor)
        try container.encode(monitoring, forKey: .monitoring)
    }
}
