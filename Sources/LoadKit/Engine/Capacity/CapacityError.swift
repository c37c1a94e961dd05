/// A user count this machine cannot hold, refused before the run starts.
public struct CapacityError: Error, Sendable, CustomStringConvertible {
    /// The users asked for.
    public var users: Int
    /// Why they do not fit.
    public var reason: String

    public var description: String { "\(users) users cannot run on this machine: \(reason)" }
}
