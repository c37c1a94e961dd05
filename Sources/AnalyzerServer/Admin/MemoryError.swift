/// An allocation that would take the process over its memory share — the service's equivalent of
/// Python's `MemoryError`. The request fails with HTTP 500 and the error log gets a trace.
struct MemoryError: Error, CustomStringConvertible {
    /// One call on the way to the allocation, as `#fileID` and `#function` saw it where it was made.
    struct Frame: Sendable, Equatable {
        /// `Module/File.swift`.
        var file: String
        /// The function's base name (`predict`, `generate_features`).
        var function: String

        init(file: String = #fileID, function: String = #function) {
            self.file = file
            self.function = String(function.prefix { $0 != "(" })
        }
    }

    /// The operation that asked for memory (`generate_features`).
    let operation: String
    let requestedBytes: Int64
    let inUseBytes: Int64
    let shareBytes: Int64
    /// The calls that led to the allocation, outermost first; the last one is `operation`.
    let frames: [Frame]

    var description: String {
        "MemoryError: Unable to allocate \(ByteSize.format(requestedBytes)) in \(operation): "
            + "\(ByteSize.format(inUseBytes)) of this worker's \(ByteSize.format(shareBytes)) memory share in use"
    }

    /// A Python-like trace for the error log, naming where the allocation failed.
    var trace: String {
        (["Traceback (most recent call last):"] + frames.map { "  File \"\($0.file)\", in \($0.function)" } + [description])
            .joined(separator: "\n")
    }
}
