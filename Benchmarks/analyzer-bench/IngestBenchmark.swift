import AnalyzerCore
import Foundation

/// Loads the CSV at `url` `repeats` times with ``CSVDataset/load(contentsOf:)`` (parse, type
/// inference, conversion to `Table`, schema and summaries) after one warm-up load, and reports
/// throughput in MB/s (10^6 bytes) as best and median. Then, in the same run when `python3` with
/// pandas is available (set `ANALYZER_BENCH_NO_PANDAS=1` to skip): pandas' `read_csv` alone, and
/// `read_csv` plus the summaries the schema holds (`describe`, `nunique`, `isna().sum()`, top
/// values of string columns), each timed the same way.
func ingestBenchmark(url: URL, repeats: Int) -> String {
    let repeats = max(repeats, 1)
    let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    var lines: [String] = []
    do {
        let warm = try CSVDataset.load(contentsOf: url)
        lines.append("ingest \(url.lastPathComponent): \(formatMB(bytes)) MB, \(warm.table.rowCount) rows × \(warm.table.columns.count) columns")
        let types = Dictionary(grouping: warm.schema.columns, by: \.type.rawValue).mapValues(\.count)
        lines.append("  types: " + types.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    } catch {
        return "ingest \(url.path): failed: \(error)"
    }
    var seconds: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let loaded = try? CSVDataset.load(contentsOf: url)
        let end = DispatchTime.now().uptimeNanoseconds
        precondition(loaded != nil)
        seconds.append(Double(end - start) / 1e9)
    }
    lines.append(label("swift CSVDataset.load (parse+types+Table+schema)") + throughputLine(bytes: bytes, seconds: seconds))
    if ProcessInfo.processInfo.environment["ANALYZER_BENCH_NO_PANDAS"] == nil {
        lines += pandasBaseline(url: url, repeats: repeats, bytes: bytes)
    }
    return lines.joined(separator: "\n")
}

/// `best X MB/s (Y ms), median X MB/s (Y ms), n runs`.
private func throughputLine(bytes: Int, seconds: [Double]) -> String {
    let sorted = seconds.sorted()
    let best = sorted[0]
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    func mbps(_ s: Double) -> String { String(format: "%.0f", Double(bytes) / 1e6 / s) }
    func ms(_ s: Double) -> String { String(format: "%.1f", s * 1000) }
    return "best \(mbps(best)) MB/s (\(ms(best)) ms), median \(mbps(median)) MB/s (\(ms(median)) ms), \(seconds.count) runs"
}

/// `name` indented and padded so that the numbers line up.
private func label(_ name: String) -> String {
    "  " + name + String(repeating: " ", count: max(1, 52 - name.count))
}

private func formatMB(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }

/// Times pandas in a `python3` subprocess: `read_csv` alone, then `read_csv` plus summaries.
private func pandasBaseline(url: URL, repeats: Int, bytes: Int) -> [String] {
    let script = """
        import sys, time
        try:
            import pandas
        except ImportError:
            print("unavailable: no pandas module"); sys.exit(0)
        path, n = sys.argv[1], int(sys.argv[2])
        def summaries(df):
            df.describe(); df.nunique(); df.isna().sum()
            for c in df.columns:
                if not pandas.api.types.is_numeric_dtype(df[c]): df[c].value_counts().head(10)
        summaries(pandas.read_csv(path))
        for _ in range(n):
            t = time.perf_counter(); pandas.read_csv(path); print("read", time.perf_counter() - t)
        for _ in range(n):
            t = time.perf_counter(); summaries(pandas.read_csv(path)); print("full", time.perf_counter() - t)
        print("version", pandas.__version__)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, url.path, String(repeats)]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        return ["  pandas unavailable: \(error)"]
    }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let outputLines = output.split(separator: "\n").map(String.init)
    func times(_ tag: String) -> [Double] {
        outputLines.filter { $0.hasPrefix(tag + " ") }.compactMap { Double($0.dropFirst(tag.count + 1)) }
    }
    let read = times("read"), full = times("full")
    guard !read.isEmpty, !full.isEmpty else {
        return ["  pandas " + (outputLines.first ?? "unavailable (exit \(process.terminationStatus))")]
    }
    let version = outputLines.first { $0.hasPrefix("version ") }.map { String($0.dropFirst(8)) } ?? "?"
    return [
        label("pandas \(version) read_csv") + throughputLine(bytes: bytes, seconds: read),
        label("pandas \(version) read_csv+describe+nunique+counts") + throughputLine(bytes: bytes, seconds: full),
    ]
}
