/// One message of Locust's protocol (`locust/rpc/protocol.py`): `msgpack.dumps((type, data, node_id))`.
public struct LocustMessage: Sendable, Equatable {
    /// `client_ready`, `heartbeat`, `spawn`, `stats`…
    public var type: String
    /// The payload (often a map; nil for many messages).
    public var data: MsgPackValue
    /// The worker's client id.
    public var nodeID: String

    /// A message.
    public init(_ type: String, _ data: MsgPackValue = .nil_, nodeID: String) {
        self.type = type
        self.data = data
        self.nodeID = nodeID
    }

    /// The msgpack bytes (a 3-item array).
    public func encoded() -> [UInt8] {
        MsgPackEncoder.encode(.array([.string(type), data, .string(nodeID)]))
    }

    /// Decodes a message; a body that is not `[type, data, node_id]` is an error naming what it got.
    public static func decode(_ bytes: [UInt8]) throws(MsgPackError) -> LocustMessage {
        let value = try MsgPackDecoder.decode(bytes)
        guard case .array(let items) = value, items.count == 3, let type = items[0].stringValue else {
            throw MsgPackError(description: "not a Locust message (expected [type, data, node_id], got \(value))")
        }
        return LocustMessage(type, items[1], nodeID: items[2].stringValue ?? "")
    }
}
