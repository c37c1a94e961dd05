import Foundation

/// SplitMix64: a tiny seeded generator, so the synthetic dataset is identical on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal (Box–Muller, one value per call).
    mutating func gaussian() -> Double {
        let u1 = max(uniform(), 0x1p-60)
        let u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}

/// The regions of the synthetic dataset and how each shifts the class score.
let syntheticRegions: [(name: String, effect: Double)] = [
    ("north", 0.6), ("south", -0.6), ("east", 0.3), ("west", -0.3), ("central", 0.0),
]

/// Writes a deterministic 22-column classification CSV (`f1`…`f20`, `region`, `target`).
///
/// Six latent standard normals `z1…z6` drive a score
/// `z1 − 0.9·z2 + 0.7·z3 + 0.6·z4·z6 + 0.5·z5 + region effect + N(0, 0.3²)` cut at ±0.8 into
/// `low` / `medium` / `high` (roughly a third each). Features: `f1 = 10 + 2·z1`, `f2 = z2`,
/// `f3 = 50 + 15·z3` (3 % empty), `f4 = z4`, `f5 = e^(z5/2)`, `f6 = z6/10`; `f7`, `f8` are noisy
/// copies of `z1`, `z3` (`f8` 3 % `NA`); `f9`…`f20` are noise of assorted shapes (`f10`, `f20`
/// integers; `f15` 2 % empty). The label noise and the interaction keep a good model near
/// 0.85–0.95 accuracy, never 1.0. Same `rows` and `seed`, same bytes.
func generateSyntheticDataset(rows: Int, seed: UInt64, to url: URL) throws {
    var rng = SplitMix64(seed: seed)
    var out: [UInt8] = []
    out.reserveCapacity(rows * 180 + 256)
    let header = (1...20).map { "f\($0)" } + ["region", "target"]
    out.append(contentsOf: Array(header.joined(separator: ",").utf8))
    out.append(UInt8(ascii: "\n"))
    var features = [Double](repeating: 0, count: 20)
    for _ in 0..<rows {
        let z = (0..<6).map { _ in rng.gaussian() }
        let region = syntheticRegions[Int(rng.next() % UInt64(syntheticRegions.count))]
        features[0] = 10 + 2 * z[0]
        features[1] = z[1]
        features[2] = 50 + 15 * z[2]
        features[3] = z[3]
        features[4] = Foundation.exp(z[4] / 2)
        features[5] = z[5] / 10
        features[6] = z[0] + 0.8 * rng.gaussian()
        features[7] = 0.7 * z[2] + 0.7 * rng.gaussian()
        features[8] = rng.uniform()
        features[9] = Double(rng.next() % 100)
        features[10] = rng.gaussian() * 3 + 1
        features[11] = Foundation.exp(rng.gaussian())
        features[12] = rng.uniform() * 200 - 100
        features[13] = rng.gaussian()
        features[14] = rng.gaussian() * 0.01
        features[15] = rng.uniform() < 0.5 ? rng.gaussian() - 2 : rng.gaussian() + 2
        features[16] = rng.gaussian() * 1000
        features[17] = rng.uniform()
        features[18] = rng.gaussian()
        features[19] = Double(rng.next() % 10)
        let score = z[0] - 0.9 * z[1] + 0.7 * z[2] + 0.6 * z[3] * z[5] + 0.5 * z[4] + region.effect
            + 0.3 * rng.gaussian()
        let label = score < -0.8 ? "low" : score < 0.8 ? "medium" : "high"
        let missing = rng.uniform()
        for (i, v) in features.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            switch i {
            case 2 where missing < 0.03: break  // f3: empty
            case 7 where missing > 0.97: out.append(contentsOf: [UInt8(ascii: "N"), UInt8(ascii: "A")])  // f8: NA
            case 14 where missing >= 0.40 && missing < 0.42: break  // f15: empty
            case 9, 19: appendFixed(v, decimals: 0, to: &out)
            case 0, 2, 16: appendFixed(v, decimals: 3, to: &out)
            default: appendFixed(v, decimals: 5, to: &out)
            }
        }
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: Array(region.name.utf8))
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: Array(label.utf8))
        out.append(UInt8(ascii: "\n"))
    }
    try Data(out).write(to: url)
}

/// Appends `v` with exactly `decimals` fraction digits (no exponent, no locale, no `-0`).
private func appendFixed(_ v: Double, decimals: Int, to out: inout [UInt8]) {
    var scale: Int64 = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((abs(v) * Double(scale)).rounded())
    if v < 0 && scaled != 0 { out.append(UInt8(ascii: "-")) }
    appendDigits(scaled / scale, minimum: 1, to: &out)
    if decimals > 0 {
        out.append(UInt8(ascii: "."))
        appendDigits(scaled % scale, minimum: decimals, to: &out)
    }
}

private func appendDigits(_ value: Int64, minimum: Int, to out: inout [UInt8]) {
    var digits: [UInt8] = []
    var v = value
    repeat {
        digits.append(UInt8(ascii: "0") + UInt8(v % 10))
        v /= 10
    } while v > 0
    while digits.count < minimum { digits.append(UInt8(ascii: "0")) }
    out.append(contentsOf: digits.reversed())
}
