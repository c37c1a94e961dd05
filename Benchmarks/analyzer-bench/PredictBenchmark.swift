import AnalyzerCore
import Foundation

/// Trains each algorithm on the CSV at `url`, then times `calls` single-row
/// `TrainedModel.predict(_:)` calls in process (JSON-like rows built from the test rows:
/// numbers, strings, nulls) and reports median, p99 and max latency, plus the per-row cost of
/// a 1,000-row batch (median of 5).
func predictBenchmark(url: URL, algorithms: [BenchAlgorithm], classTarget: String, regressionTarget: String, calls: Int, seed: UInt64) -> String {
    let table: Table
    do {
        table = try CSVDataset.load(contentsOf: url).table
    } catch {
        return "predict \(url.path): failed: \(error)"
    }
    var lines = ["predict \(url.lastPathComponent): \(calls) single-row calls per algorithm"]
    for spec in algorithms {
        let config = spec.config(classTarget: classTarget, regressionTarget: regressionTarget, seed: seed)
        let model: TrainedModel
        let testRows: [Int]
        do {
            let result = try Trainer.train(table: table, config: config)
            model = result.model
            testRows = Array(result.testIndices.prefix(1000))
        } catch {
            lines.append("  \(spec.label): failed: \(error)")
            continue
        }
        let rows = testRows.map { r -> [String: FeatureValue] in
            var row: [String: FeatureValue] = [:]
            for column in table.columns where column.name != config.target {
                switch column.data {
                case .numbers(let v): row[column.name] = v[r].isNaN ? .missing : .number(v[r])
                case .strings(let s): row[column.name] = s[r].map { .string($0) } ?? .missing
                }
            }
            return row
        }
        // Warm-up, then timed calls.
        for row in rows { _ = try? model.predict(row) }
        var nanos = [UInt64](repeating: 0, count: calls)
        var failures = 0
        for i in 0..<calls {
            let row = rows[i % rows.count]
            let start = DispatchTime.now().uptimeNanoseconds
            let p = try? model.predict(row)
            nanos[i] = DispatchTime.now().uptimeNanoseconds - start
            if p == nil { failures += 1 }
        }
        nanos.sort()
        func us(_ q: Double) -> String { String(format: "%.1f", Double(nanos[min(calls - 1, Int(q * Double(calls)))]) / 1000) }
        var batchTimes: [UInt64] = []
        var batch = 0
        for _ in 0..<5 {
            let batchStart = DispatchTime.now().uptimeNanoseconds
            batch = (try? model.predict(rows: rows))?.count ?? 0
            batchTimes.append(DispatchTime.now().uptimeNanoseconds - batchStart)
        }
        let batchNanos = batchTimes.sorted()[2]
        lines.append(
            "  " + spec.label.padding(toLength: 28, withPad: " ", startingAt: 0)
                + "median \(us(0.5)) µs  p99 \(us(0.99)) µs  max \(String(format: "%.1f", Double(nanos[calls - 1]) / 1000)) µs"
                + "  batch(\(batch), median of 5) \(String(format: "%.1f", Double(batchNanos) / 1000 / Double(max(batch, 1)))) µs/row"
                + (failures > 0 ? "  \(failures) FAILED" : ""))
    }
    return lines.joined(separator: "\n")
}
