/// A control-plane call failed; the message names the endpoint and the service's error.
public struct ControlError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
