import Logging
import LoadKit

/// How `firedrill worker` reaches and talks to its Locust master.
public struct LocustWorkerSettings: Sendable {
    /// The master's host (`--master-host`).
    public var masterHost: String
    /// The master's port (`--master-port`, Locust's 5557).
    public var masterPort: Int
    /// Seconds without a connected master before giving up (`--master-timeout`).
    public var masterTimeout: Double
    /// Seconds without the master's heartbeat before reconnecting (Locust's 60).
    public var heartbeatTimeout: Double = 60
    /// Seconds between `heartbeat` messages (Locust's `HEARTBEAT_INTERVAL`).
    public var heartbeatInterval: Double = 1
    /// Seconds between `stats` messages (Locust's `WORKER_REPORT_INTERVAL`).
    public var reportInterval: Double = 3
    /// Seconds to wait for the master's `ack` before sending `client_ready` again (Locust's `CONNECT_TIMEOUT`).
    public var ackTimeout: Double = 5
    /// The id the master knows this worker by (Locust: hostname + "_" + hex).
    public var clientID: String
    /// The version sent in `client_ready`: Locust masters accept any and compare the first 4 characters.
    public var version: String = "2.47.0"
    /// Use the master's `--host` when it sets one (Locust's behaviour) instead of the scenario's.
    public var useMasterHost = true
    /// Event-loop threads for the users.
    public var threads: Int = 1
    /// What drives the users' connections (`--transport`).
    public var transport = Transport.auto
    /// Where connection and run events go.
    public var logger: Logger

    /// Settings with Locust's intervals.
    public init(masterHost: String, masterPort: Int, masterTimeout: Double, clientID: String, logger: Logger) {
        self.masterHost = masterHost
        self.masterPort = masterPort
        self.masterTimeout = masterTimeout
        self.clientID = clientID
        self.logger = logger
    }
}

/// Why `firedrill worker` ended without a `quit` from its master.
public enum LocustWorkerError: Error, CustomStringConvertible, Equatable {
    /// No master answered within `--master-timeout`.
    case masterUnreachable(String)
    /// The master speaks another version of the protocol.
    case incompatibleMaster(String)

    public var description: String {
        switch self {
        case .masterUnreachable(let m), .incompatibleMaster(let m): return m
        }
    }
}
