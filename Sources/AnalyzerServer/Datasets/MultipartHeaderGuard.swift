/// Refuses a multipart body whose part header *names* hold bytes above 0x7F before MultipartKit
/// sees them: its parser (4.7.1) indexes a 128-entry table with such a byte and traps, taking the
/// whole process down (found by Schemathesis). Header values may carry UTF-8 (`filename="é.csv"`).
/// A byte-level state machine that survives chunk boundaries.
struct MultipartHeaderGuard {
    private enum State { case body, afterDelimiter(UInt8?), headerName, headerValue, headerEnd }
    private let delimiter: [UInt8]
    private var matched = 0
    private var state = State.body

    init(boundary: String) { delimiter = Array(("--" + boundary).utf8) }

    /// Whether `bytes` keep every header name ASCII so far.
    mutating func accepts(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes {
            switch state {
            case .body:
                matched = byte == delimiter[matched] ? matched + 1 : (byte == delimiter[0] ? 1 : 0)
                if matched == delimiter.count { matched = 0; state = .afterDelimiter(nil) }
            case .afterDelimiter(let previous):
                if previous == UInt8(ascii: "\r"), byte == UInt8(ascii: "\n") { state = .headerName }
                else if previous == UInt8(ascii: "-"), byte == UInt8(ascii: "-") { state = .body }
                else if previous == nil { state = .afterDelimiter(byte) } else { state = .body }
            case .headerName:
                if byte >= 0x80 { return false }
                if byte == UInt8(ascii: ":") { state = .headerValue } else if byte == UInt8(ascii: "\r") { state = .headerEnd }
            case .headerValue:
                if byte == UInt8(ascii: "\n") { state = .headerName }
            case .headerEnd:
                state = byte == UInt8(ascii: "\n") ? .body : .headerName
            }
        }
        return true
    }
}
