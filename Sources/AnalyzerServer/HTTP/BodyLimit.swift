import Hummingbird
import NIOCore

extension RequestBody {
    /// The whole body, at most `limit` bytes; more is a 413 `payload_too_large` JSON error naming the
    /// limit (and `flag`, the option that sets it) rather than Hummingbird's bodiless 413.
    func collect(upTo limit: Int, flag: String?) async throws -> ByteBuffer {
        do {
            return try await collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            let option = flag.map { " (\($0))" } ?? ""
            throw AnalyzerError(
                .tooLarge, code: "payload_too_large", "request body exceeds the limit of \(ByteSize.format(Int64(limit)))\(option)")
        }
    }
}
