import AnalyzerCore
import AnalyzerStore
import Foundation

/// Datasets: CSV uploads parsed, stored and deleted.
extension Analyzer {
    /// Parses an upload already streamed to a temp file and stores it; the temp file is consumed.
    func createDataset(from upload: UploadFile, name: String?) async throws -> DatasetRecord {
        defer { try? FileManager.default.removeItem(at: upload.url) }
        let url = upload.url
        let schema: DatasetSchema
        do {
            let limits = configuration.requestLimits
            schema = try await offload {
                try limits.checkColumns(csvFile: url)
                return try CSVDataset.load(contentsOf: url).schema
            }
        } catch let error as CSVError {
            throw AnalyzerError.invalid(error.code, error.message)
        }
        let id = Identifiers.make("ds")
        let record = DatasetRecord(
            id: id, name: Self.datasetName(name, fileName: upload.fileName, id: id), sizeBytes: upload.size,
            rowCount: schema.rowCount, columnCount: schema.columns.count, sha256: upload.sha256,
            schemaJSON: try JSON.string(schema), createdAt: Date().timeIntervalSince1970)
        let destination = files.datasetFile(id)
        try files.move(url, to: destination)
        do {
            try await store.insertDataset(record)
        } catch {
            // Database unreachable: the insert may still have been applied, so keep the file (a row
            // must never lack its file); the orphan sweep removes it later if the row is absent.
            if (error as? StoreUnavailableError)?.mayHaveApplied != true { try? FileManager.default.removeItem(at: destination) }
            throw error
        }
        logger.info("dataset stored", metadata: ["dataset": "\(id)", "rows": "\(schema.rowCount)", "bytes": "\(upload.size)"])
        return record
    }

    private static func datasetName(_ name: String?, fileName: String?, id: String) -> String {
        if let name = name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty { return String(name.prefix(200)) }
        if let fileName, !fileName.isEmpty {
            return String((fileName as NSString).deletingPathExtension.prefix(200))
        }
        return id
    }

    func datasets() async throws -> [DatasetRecord] { try await store.datasets() }

    func dataset(_ id: String) async throws -> DatasetRecord {
        try await AnalyzerError.found(store.dataset(id: id), "dataset", id)
    }

    func deleteDataset(_ id: String) async throws {
        guard try await store.deleteDataset(id: id) else { throw AnalyzerError.notFound("dataset", id) }
        try? FileManager.default.removeItem(at: files.datasetFile(id))
        logger.info("dataset deleted", metadata: ["dataset": "\(id)"])
    }

    /// A temp path for an incoming upload.
    func uploadPath() -> URL { files.temporaryFile(".upload") }
}
