/// An allocation that would take the process over its memory share — the service's equivalent of
/// Python's `MemoryError`. The request fails with HTTP 500 and the error log gets a trace.
struct MemoryError: Error, CustomStringConvertible {
    /// The operation that asked for memory (`generate_features`).
    let operation: String
    let requestedBytes: Int64
    let inUseBytes: Int64
    let shareBytes: Int64

    var description: String {
        "MemoryError: Unable to allocate \(ByteSize.format(requestedBytes)) in \(operation): "
            + "\(ByteSize.format(inUseBytes)) of this worker's \(ByteSize.format(shareBytes)) memory share in use"
    }

    /// A Python-like trace for the error log, naming where the allocation failed.
    var trace: String {
        """
        Traceback (most recent call last):
          File "AnalyzerServer/APIRoutes.swift", in predict
          File "AnalyzerServer/Analyzer.swift", in predict
          File "AnalyzerCore/Features/FeaturePipeline+Rows.swift", in \(operation)
        \(description)
        """
    }
}
