/// Persistence of datasets and models behind one interface, whatever the back-end.
///
/// Implementations must make each call atomic: a record is either fully written or absent.
public protocol Store: Sendable {
    /// Applies pending schema migrations; safe to call on every start-up.
    func migrate() async throws
    /// Cheap round trip used by `/readyz`.
    func ping() async throws

    func insertDataset(_ record: DatasetRecord) async throws
    func datasets() async throws -> [DatasetRecord]
    func dataset(id: String) async throws -> DatasetRecord?
    /// Returns whether a row was deleted.
    func deleteDataset(id: String) async throws -> Bool

    func insertModel(_ record: ModelRecord) async throws
    func updateModel(_ record: ModelRecord) async throws
    func models() async throws -> [ModelRecord]
    func model(id: String) async throws -> ModelRecord?
    /// Returns whether a row was deleted.
    func deleteModel(id: String) async throws -> Bool

    /// Releases connections.
    func close() async throws
}
