import Foundation
import Synchronization

/// The values of a drill's runtime variables: those steps set (an `http` step's `extract`, a
/// created proxy's `proxy.NAME.listen`), free loopback ports (`port.NAME`, allocated on first use
/// and the same for the rest of the drill) and the stack's facts (`stack.work_dir`, `stack.service_url`).
final class RuntimeVariables: Sendable {
    private let values = Mutex<[String: String]>([:])

    /// Sets `name` for the steps that follow.
    func set(_ name: String, _ value: String) {
        values.withLock { $0[name] = value }
    }

    /// Every value set or allocated so far.
    var all: [String: String] { values.withLock { $0 } }

    /// The value of `name`.
    /// - Throws: `ControlError` when no step has set it (the step that sets it did not run).
    func value(of name: String, stack: any DrillStack) throws -> String {
        switch name {
        case "stack.work_dir": return stack.workDirectory.path
        case "stack.service_url": return stack.serviceURL
        default: break
        }
        return try values.withLock { values in
            if let value = values[name] { return value }
            guard name.hasPrefix(StepText.portPrefix) else {
                throw ControlError(message: "${\(name)} has no value: the step that sets it has not run")
            }
            // Distinct from every port handed out before (a port is free until its program binds it).
            let taken = Set(values.filter { $0.key.hasPrefix(StepText.portPrefix) }.values)
            var port = String(try Loopback.freePorts(1)[0])
            while taken.contains(port) { port = String(try Loopback.freePorts(1)[0]) }
            values[name] = port
            return port
        }
    }
}
