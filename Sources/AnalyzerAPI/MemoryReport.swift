/// Memory attribution of one worker (one entry of `GET /admin/memory`).
public struct WorkerMemory: Codable, Sendable, Equatable {
    /// Worker slot (0 for a single process).
    public var worker: Int
    public var pid: Int32
    public var residentBytes: Int64
    /// This worker's share of the memory budget (0 = unlimited).
    public var shareBytes: Int64
    /// `legacy` or `patched`.
    public var featuresImpl: String
    /// Retained bytes by component (`feature_cache`, `models`, `datasets`, `other`).
    public var components: [String: Int64]

    enum CodingKeys: String, CodingKey {
        case worker, pid, components
        case residentBytes = "resident_bytes", shareBytes = "share_bytes", featuresImpl = "features_impl"
    }

    public init(worker: Int, pid: Int32, residentBytes: Int64, shareBytes: Int64, featuresImpl: String, components: [String: Int64]) {
        self.worker = worker
        self.pid = pid
        self.residentBytes = residentBytes
        self.shareBytes = shareBytes
        self.featuresImpl = featuresImpl
        self.components = components
    }
}

/// The body of `GET /admin/memory`: `{"workers": [...]}`.
public struct MemoryReport: Codable, Sendable, Equatable {
    public var workers: [WorkerMemory]

    public init(workers: [WorkerMemory]) { self.workers = workers }
}
