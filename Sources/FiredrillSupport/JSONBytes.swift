/// Hand-written JSON of hot paths, appended to bytes rather than to a `String`: each `String` append
/// pays for a uniqueness check and capacity bookkeeping, and `Double.description` allocates a string
/// for most numbers; here literals are copied, numbers are written straight from the standard
/// library's shortest-form formatter (`TextOutputStream._writeASCII`), and the text is made once.
public struct JSONBytes: TextOutputStream {
    /// The JSON written so far (UTF-8).
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// The JSON written so far as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends text as is (`TextOutputStream`).
    public mutating func write(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    /// Appends ASCII the standard library formatted (numbers), without a `String` in between.
    public mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }

    /// Appends a literal.
    public mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` as a quoted JSON string, escaped as ``JSONText/appendQuoted(_:to:)`` does.
    public mutating func quoted(_ value: String) {
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        write(JSONText.quoted(value))
    }

    /// Appends a finite `Double` as Swift's shortest round-tripping form (`description`), without
    /// a trailing `.0` when `trimmingPointZero` (as JSONEncoder writes integral values).
    public mutating func number(_ value: Double, trimmingPointZero: Bool) {
        value.write(to: &self)
        if trimmingPointZero, bytes.count >= 2, bytes[bytes.count - 1] == UInt8(ascii: "0"), bytes[bytes.count - 2] == UInt8(ascii: ".") {
            bytes.removeLast(2)
        }
    }
}
