import Foundation
import NIOHTTP1
import Testing

/// The incident's leak is real memory: under identical load the legacy `generate_features`
/// grows the RSS and the patched one keeps it flat.
@Suite(.serialized) struct LeakTests {
    /// Warms up, then sends two equal rounds of batch predictions (50 rows each); returns the RSS
    /// growth of each round and the feature cache the admin API attributes.
    static func growth(_ implementation: String, requests: Int = 100) async throws -> (first: Double, second: Double, cache: Int64) {
        // The prediction log is off: its SQLite page cache grows with the database (~1 MB a round),
        // which is not the leak under test.
        let service = try PoolProcess(["--features-impl", implementation, "--leak-scale", "100", "--prediction-log", "off"])
        defer { service.stop() }
        let model = try await service.irisModel()
        let batch = Array(repeating: PredictionLoad.row, count: 50)
        func round(_ count: Int) async throws {
            for _ in 0..<count {
                let reply = try await service.request(.POST, "/api/models/\(model)/predict", json: batch)
                #expect(reply.status == 200)
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        try await round(100)
        let start = try await service.metric("process_resident_memory_bytes")
        try await round(requests)
        let middle = try await service.metric("process_resident_memory_bytes")
        try await round(requests)
        let end = try await service.metric("process_resident_memory_bytes")
        let memory = try await service.request(.GET, "/admin/memory", admin: true).json
        let components = ((memory["workers"] as? [[String: Any]])?.first?["components"] as? [String: Any]) ?? [:]
        return (middle - start, end - middle, Int64(components["feature_cache"] as? Int ?? -1))
    }

    @Test func legacyGrowsAndPatchedStaysFlat() async throws {
        // Each round: 100 requests × 50 rows × 4 features × 8 bytes × 100 copies = 16 MB kept by legacy.
        let retainedPerRound = 100.0 * 50 * 4 * 8 * 100
        let legacy = try await Self.growth("legacy")
        let patched = try await Self.growth("patched")
        #expect(legacy.cache >= Int64(3 * retainedPerRound), "the feature cache holds every matrix: \(legacy.cache)")
        #expect(legacy.first > 0.8 * retainedPerRound && legacy.second > 0.8 * retainedPerRound, "legacy RSS keeps growing: \(legacy)")
        #expect(patched.cache == 0)
        #expect(patched.second < 0.1 * retainedPerRound, "patched RSS stays flat: \(patched)")
    }
}
