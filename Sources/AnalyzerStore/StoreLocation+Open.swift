import Logging

extension StoreLocation {
    /// Opens the store this location names and, unless `migrate` is false, applies pending migrations.
    public func open(migrate: Bool = true, logger: Logger = Logger(label: "csv-analyzer.store")) async throws -> SQLStore {
        switch self {
        case .sqlite(let path): try await SQLiteStore.open(path: path, migrate: migrate, logger: logger)
        case .postgres(let location): try await PostgresStore.open(location, migrate: migrate, logger: logger)
        }
    }
}
