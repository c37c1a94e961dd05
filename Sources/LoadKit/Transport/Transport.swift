/// What drives the users' connections (`--transport`).
public enum Transport: String, Sendable, CaseIterable {
    /// Sockets when every origin the plan names is plain http (and the platform has them), NIO otherwise.
    case auto
    /// The generator's own non-blocking sockets and epoll loops (plain http only; Linux).
    case sockets
    /// SwiftNIO channels (http and https).
    case nio

    /// Whether the socket transport is built into this binary (Linux).
    public static var socketsAvailable: Bool {
        #if os(Linux)
        return true
        #else
        return false
        #endif
    }

    /// The transport a run to `origins` uses: `.sockets` or `.nio`; throws when `.sockets` was asked for
    /// an https origin or on a platform without it.
    func resolved(for origins: [Origin]) throws(PlanError) -> Transport {
        let https = origins.first { $0.tls }
        switch self {
        case .nio:
            return .nio
        case .auto:
            return https == nil && Self.socketsAvailable ? .sockets : .nio
        case .sockets:
            if let https {
                throw PlanError(message: "--transport sockets speaks plain http only, and the plan reaches \(https): use --transport nio (or auto)")
            }
            guard Self.socketsAvailable else {
                throw PlanError(message: "--transport sockets is available on Linux only: use --transport nio (or auto)")
            }
            return .sockets
        }
    }
}
