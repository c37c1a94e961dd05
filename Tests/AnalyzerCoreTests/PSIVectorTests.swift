import Foundation
import Testing
@testable import AnalyzerCore

/// PSI matches every reference case of `psi_vectors.json` (computed with numpy) to 1e-9, with the
/// same bins and counts: the fixture copy, and `../shared/psi` beside the repository when present.
@Suite struct PSIVectorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixture = root.appendingPathComponent("Tests/Fixtures/psi_vectors.json")
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared/psi/psi_vectors.json")

    struct Vectors: Decodable {
        let cases: [Case]
    }

    struct Case: Decodable {
        let name: String
        let kind: String
        let psi: Double
        let psiEps4: Double
        let details: Details
        let expected: [Value]
        let actual: [Value]

        enum CodingKeys: String, CodingKey {
            case name, kind, psi, details, expected, actual
            case psiEps4 = "psi_eps_1e-4"
        }
    }

    struct Details: Decodable {
        let innerEdges: [Double]?
        let categories: [String]?
        let expectedCounts: [Int]
        let actualCounts: [Int]

        enum CodingKeys: String, CodingKey {
            case innerEdges = "inner_edges", categories
            case expectedCounts = "expected_counts", actualCounts = "actual_counts"
        }
    }

    /// A sample value: a number, a category, or null (missing).
    enum Value: Decodable {
        case number(Double), text(String), missing

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .missing } else if let d = try? c.decode(Double.self) { self = .number(d) } else { self = .text(try c.decode(String.self)) }
        }

        var number: Double { if case .number(let d) = self { d } else { .nan } }
        var text: String? {
            switch self {
            case .text(let s): s
            case .number(let d): FeaturePipeline.categoryString(d)
            case .missing: nil
            }
        }
    }

    static func load(_ url: URL) throws -> [Case] {
        try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url)).cases
    }

    static func drift(_ c: Case, epsilon: Double = PSI.epsilon) -> FeatureDrift {
        c.kind == "numeric"
            ? PSI.numeric(expected: c.expected.map(\.number), actual: c.actual.map(\.number), epsilon: epsilon)
            : PSI.categorical(expected: c.expected.map(\.text), actual: c.actual.map(\.text), epsilon: epsilon)
    }

    static func check(_ c: Case) throws {
        let drift = drift(c)
        let psi = try #require(drift.psi, "\(c.name): no PSI")
        #expect(abs(psi - c.psi) <= 1e-9, "\(c.name): PSI \(psi), expected \(c.psi)")
        let eps4 = try #require(Self.drift(c, epsilon: 1e-4).psi)
        #expect(abs(eps4 - c.psiEps4) <= 1e-9, "\(c.name): PSI with 1e-4 \(eps4), expected \(c.psiEps4)")
        #expect(drift.bins.map(\.expectedCount) == c.details.expectedCounts, "\(c.name): expected counts")
        #expect(drift.bins.map(\.actualCount) == c.details.actualCounts, "\(c.name): actual counts")
        if let edges = c.details.innerEdges {
            #expect(drift.kind == "numeric")
            #expect(drift.bins.dropFirst().map { $0.lower! } == edges, "\(c.name): inner edges")
            #expect(drift.bins.first?.lower == nil && drift.bins.last?.upper == nil, "outer edges are ±∞")
        }
        if let categories = c.details.categories {
            #expect(drift.kind == "categorical")
            #expect(drift.bins.map(\.label) == categories, "\(c.name): categories (sorted union)")
        }
    }

    @Test func everyFixtureCaseMatches() throws {
        let cases = try Self.load(Self.fixture)
        #expect(cases.count >= 6)
        for c in cases { try Self.check(c) }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: shared.path),
                   "the shared PSI vectors are absent; everyFixtureCaseMatches checks the fixture copy"))
    func everySharedCaseMatches() throws {
        for c in try Self.load(Self.shared) { try Self.check(c) }
    }

    @Test func numpyLinearQuantiles() {
        let x: [Double] = [1, 2, 3, 4]
        #expect(Quantile.linear(x, 0) == 1)
        #expect(Quantile.linear(x, 1) == 4)
        #expect(Quantile.linear(x, 0.5) == 2.5)
        #expect(Quantile.linear(x, 0.1) == 1.3)  // (n-1)·q = 0.3
        #expect(Quantile.innerDecileEdges([5, 5, 5, 5]) == [5], "duplicate edges merge")
        #expect(Quantile.innerDecileEdges([.nan]) == [])
    }

    @Test func binsAreRightClosed() {
        let edges: [Double] = [1, 2, 3]
        #expect(FeatureReference.binIndex(1, edges: edges) == 0)
        #expect(FeatureReference.binIndex(1.0000001, edges: edges) == 1)
        #expect(FeatureReference.binIndex(3, edges: edges) == 2)
        #expect(FeatureReference.binIndex(3.5, edges: edges) == 3)
        #expect(FeatureReference.binIndex(-.infinity, edges: edges) == 0)
    }

    @Test func verdicts() {
        #expect(DriftVerdict(psi: nil) == .noData)
        #expect(DriftVerdict(psi: 0.05) == .stable)
        #expect(DriftVerdict(psi: 0.1) == .moderate)
        #expect(DriftVerdict(psi: 0.2) == .moderate)
        #expect(DriftVerdict(psi: 0.2000001) == .drifted)
    }

    @Test func identicalSamplesHaveZeroPSIAndEmptySidesHaveNone() {
        let x = (0..<100).map(Double.init)
        #expect(PSI.numeric(expected: x, actual: x).psi == 0)
        #expect(PSI.numeric(expected: x, actual: []).psi == nil)
        #expect(PSI.numeric(expected: x, actual: [.nan]).verdict == .noData)
    }
}
