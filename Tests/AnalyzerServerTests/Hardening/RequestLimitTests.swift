import Foundation
import NIOHTTP1
import Testing

@testable import AnalyzerServer

/// Issue 18: a request's memory is bounded by `--max-columns` and `--max-batch-rows`. A 1.8 MB
/// upload of 200,000 columns and a 300,000-row batch once got a worker SIGKILLed; now both are
/// refused with 413 while other clients keep getting 200s, and no worker grows.
@Suite(.serialized) struct RequestLimitTests {
    /// 200,000 columns, 1.8 MB (the issue's `w.csv`).
    static func wideCSV(columns: Int = 200_000) -> Data {
        let header = (0..<columns).map { "c\($0)" }.joined(separator: ",")
        let row = Array(repeating: "1", count: columns).joined(separator: ",")
        return Data((header + "\n" + row + "\n").utf8)
    }

    /// `rows` copies of one iris row as a JSON array (300,000 rows ≈ 28 MB).
    static func hugeBatch(rows: Int) -> Data {
        let row = #"{"sepal length (cm)":5.9,"sepal width (cm)":3.0,"petal length (cm)":5.1,"petal width (cm)":1.8}"#
        var text = "["
        text.reserveCapacity(rows * (row.count + 1) + 2)
        for index in 0..<rows {
            if index > 0 { text += "," }
            text += row
        }
        return Data((text + "]").utf8)
    }

    /// Peak RSS (VmHWM) of a process, from /proc.
    static func peakResidentBytes(pid: Int) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
        else { return nil }
        return kib * 1024
    }

    @Test func wideUploadsAndHugeBatchesAreRefusedWhileOthersAreServed() async throws {
        let service = try PoolProcess(["--workers", "2", "--memory-limit", "512MiB"])
        defer { service.stop() }
        let before = try await service.waitForWorkers { ($0["alive"] as? Int) == 2 }
        let pids = Set(((before["workers"] as? [[String: Any]]) ?? []).compactMap { $0["pid"] as? Int })
        let model = try await service.irisModel()

        let load = PredictionLoad()
        let loadTask = Task { await load.run(service, model: model, clients: 2) }
        for _ in 0..<3 {
            let wide = try await service.request(.POST, "/api/datasets", body: Self.wideCSV())
            #expect(wide.status == 413, "\(wide.status): \(wide.text)")
            #expect(wide.json.errorCode == "too_many_columns", "\(wide.text)")
            #expect(wide.json.errorMessage.contains("--max-columns") && wide.json.errorMessage.contains("2000"), "\(wide.text)")
        }
        let batch = try await service.request(.POST, "/api/models/\(model)/predict", body: Self.hugeBatch(rows: 300_000), contentType: "application/json")
        #expect(batch.status == 413, "\(batch.status): \(batch.text)")
        #expect(batch.json.errorCode == "too_many_rows", "\(batch.text)")
        #expect(batch.json.errorMessage.contains("--max-batch-rows") && batch.json.errorMessage.contains("10000"), "\(batch.text)")
        let wideCSVBatch = try await service.request(.POST, "/api/models/\(model)/predict", body: Self.wideCSV(), contentType: "text/csv")
        #expect(wideCSVBatch.status == 413, "\(wideCSVBatch.status): \(wideCSVBatch.text)")
        let allowed = try await service.request(.POST, "/api/models/\(model)/predict", body: Self.hugeBatch(rows: 10_000), contentType: "application/json")
        #expect(allowed.status == 200, "\(allowed.status)")
        // Others were served meanwhile (on a loaded machine the first answer may still be on its way).
        let served = ContinuousClock.now + .seconds(60)
        while await load.ok == 0, ContinuousClock.now < served { try await Task.sleep(for: .milliseconds(50)) }
        await load.stop()
        await loadTask.value

        let failures = await load.failures
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(await load.ok > 0)
        let after = try await service.workers()
        #expect((after["restarts"] as? [String: Int] ?? [:]).values.reduce(0, +) == 0, "\(after)")
        let pidsAfter = Set(((after["workers"] as? [[String: Any]]) ?? []).compactMap { $0["pid"] as? Int })
        #expect(pidsAfter == pids, "a worker was replaced: \(service.log.suffix(2000))")
        // Generous: a worker's share is 256 MiB and the supervisor kills at 1.25 × that; before the
        // limits, the wide upload alone took a worker past 1 GB.
        for pid in pidsAfter {
            let peak = try #require(Self.peakResidentBytes(pid: pid))
            #expect(peak < 300 << 20, "worker \(pid) peaked at \(peak >> 20) MiB")
        }
    }

    @Test func countsAreTakenWithoutParsing() {
        let limits = RequestLimits(maxColumns: 3, maxBatchRows: 2)
        func check(_ text: String, _ body: (RequestLimits, UnsafeRawBufferPointer) throws -> Void) -> String? {
            Data(text.utf8).withUnsafeBytes { bytes in
                do { try body(limits, bytes); return nil } catch { return (error as? AnalyzerError)?.code ?? "\(error)" }
            }
        }
        #expect(check("a,b,c\n1,2,3\n") { try $0.checkColumns(csv: $1) } == nil)
        #expect(check("\u{FEFF}\n\"a,x\",b,c\n1,2,3\n") { try $0.checkColumns(csv: $1) } == nil)
        #expect(check("a,b,c,d\n1,2,3,4\n") { try $0.checkColumns(csv: $1) } == "too_many_columns")
        #expect(check("a;b;c;d\n1;2;3;4\n") { try $0.checkColumns(csv: $1) } == "too_many_columns")
        #expect(check("a\n1\n2\n") { try $0.checkBatchRows(csv: $1) } == nil)
        #expect(check("a\n1\n\n2\r\n\"3\n\"") { try $0.checkBatchRows(csv: $1) } == "too_many_rows")
        #expect(check(#"[{"a":1,"b":"x,y"},{"a":2}]"#) { try $0.checkShape(json: $1) } == nil)
        #expect(check(#"[{"a":1},{"a":2},{"a":3}]"#) { try $0.checkShape(json: $1) } == "too_many_rows")
        #expect(check(#"{"a":1,"b":[1,2,3,4],"c":"\",,,"}"#) { try $0.checkShape(json: $1) } == nil)
        #expect(check(#"{"a":1,"b":2,"c":3,"d":4}"#) { try $0.checkShape(json: $1) } == "too_many_columns")
        #expect(check(#"[{"a":1,"b":2,"c":3,"d":4}]"#) { try $0.checkShape(json: $1) } == "too_many_columns")
    }
}
