import AnalyzerCore
import Foundation

/// One algorithm run of the training benchmark: `random_forest` trains on the class target,
/// `random_forest:regression` on the regression target (regression-only algorithms always do).
struct BenchAlgorithm {
    let algorithm: Algorithm
    let regression: Bool

    /// Parses `name` or `name:regression`.
    init?(_ spec: String) {
        let parts = spec.split(separator: ":").map(String.init)
        guard let a = Algorithm(rawValue: parts[0]), parts.count == 1 || (parts.count == 2 && parts[1] == "regression") else {
            return nil
        }
        algorithm = a
        regression = parts.count == 2 || !a.supports(.classification)
    }

    var label: String { algorithm.rawValue + (regression && algorithm.supports(.classification) ? ":regression" : "") }

    static let defaults = ["logistic_regression", "linear_regression", "ridge", "decision_tree", "random_forest"]

    func config(classTarget: String, regressionTarget: String, seed: UInt64) -> TrainingConfig {
        TrainingConfig(
            target: regression ? regressionTarget : classTarget, task: regression ? .regression : .classification,
            algorithm: algorithm, seed: seed)
    }
}

/// Trains each algorithm on the CSV at `url` (scikit-learn defaults, 80/20 split seeded by
/// `seed`) and reports training time, test score and model size; then, unless
/// `ANALYZER_BENCH_NO_SKLEARN=1`, trains scikit-learn's RandomForestClassifier(100) on the same
/// file and the same test rows in a `python3` subprocess (n_jobs from
/// `ANALYZER_BENCH_SKLEARN_JOBS`, default `1`; a comma list runs several).
func trainBenchmark(url: URL, algorithms: [BenchAlgorithm], classTarget: String, regressionTarget: String, seed: UInt64) -> String {
    var lines: [String] = []
    let loaded: Table
    do {
        let start = DispatchTime.now().uptimeNanoseconds
        loaded = try CSVDataset.load(contentsOf: url).table
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        lines.append("train \(url.lastPathComponent): \(loaded.rowCount) rows × \(loaded.columns.count) columns (load \(String(format: "%.0f", ms)) ms), \(ProcessInfo.processInfo.activeProcessorCount) cores")
    } catch {
        return "train \(url.path): failed: \(error)"
    }
    lines.append(pad("algorithm", 30) + pad("target", 8) + pad("train", 8) + pad("test", 7) + pad("wall s", 9) + pad("cpu s", 9) + pad("score", 16) + "model")
    var forestSplit: [Int]?
    for spec in algorithms {
        let config = spec.config(classTarget: classTarget, regressionTarget: regressionTarget, seed: seed)
        do {
            let cpuStart = processCPUSeconds()
            let result = try Trainer.train(table: loaded, config: config)
            let cpu = processCPUSeconds() - cpuStart
            let score: String
            if let c = result.evaluation.classification {
                score = String(format: "acc %.4f", c.accuracy)
            } else {
                score = String(format: "R² %.4f", result.evaluation.regression?.r2 ?? .nan)
            }
            let bytes = (try? result.model.serialized().count) ?? 0
            var size = String(format: "%.1f MB", Double(bytes) / 1e6)
            if case .randomForest(let f) = result.model.learner {
                size += ", \(f.trees.reduce(0) { $0 + $1.nodeCount }) nodes"
                if !spec.regression { forestSplit = result.testIndices }
            }
            lines.append(
                pad(spec.label, 30) + pad(config.target, 8) + pad("\(result.trainRows)", 8) + pad("\(result.testRows)", 7)
                    + pad(String(format: "%.3f", result.durationSeconds), 9) + pad(String(format: "%.3f", cpu), 9)
                    + pad(score, 16) + size)
        } catch {
            lines.append(pad(spec.label, 30) + "failed: \(error)")
        }
    }
    if let split = forestSplit, ProcessInfo.processInfo.environment["ANALYZER_BENCH_NO_SKLEARN"] == nil {
        let jobs = (ProcessInfo.processInfo.environment["ANALYZER_BENCH_SKLEARN_JOBS"] ?? "1").split(separator: ",").map(String.init)
        for j in jobs {
            lines.append(pad("sklearn RF(100) n_jobs=\(j)", 30) + sklearnForest(url: url, target: classTarget, testIndices: split, jobs: j, seed: seed))
        }
    }
    return lines.joined(separator: "\n")
}

/// CPU time used by this process so far (all threads), in seconds.
private func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

private func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }

/// Fits scikit-learn's RandomForestClassifier(n_estimators=100) with median imputation and
/// one-hot encoding on the same train rows, and scores it on the same test rows.
private func sklearnForest(url: URL, target: String, testIndices: [Int], jobs: String, seed: UInt64) -> String {
    let script = """
        import sys, json, time
        try:
            import numpy as np, pandas as pd, sklearn
            from sklearn.compose import ColumnTransformer
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.impute import SimpleImputer
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import OneHotEncoder
        except ImportError as e:
            print("unavailable:", e); sys.exit(0)
        path, split, target, jobs, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        df = pd.read_csv(path)
        test = np.zeros(len(df), bool); test[json.load(open(split))["test_indices"]] = True
        y = df[target].astype(str); X = df.drop(columns=[target])
        num = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
        cat = [c for c in X.columns if c not in num]
        pre = ColumnTransformer([("num", SimpleImputer(strategy="median"), num),
            ("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"), OneHotEncoder(handle_unknown="ignore")), cat)],
            sparse_threshold=0)
        Xtr = pre.fit_transform(X[~test]); Xte = pre.transform(X[test])
        t, c = time.perf_counter(), time.process_time()
        rf = RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=jobs).fit(Xtr, y[~test])
        fit, cpu = time.perf_counter() - t, time.process_time() - c
        acc = (rf.predict(Xte) == y[test].to_numpy()).mean()
        nodes = sum(e.tree_.node_count for e in rf.estimators_)
        print(f"{int((~test).sum())} {int(test.sum())} {fit:.3f} {cpu:.3f} {acc:.4f} {nodes} {sklearn.__version__}")
        """
    let splitURL = FileManager.default.temporaryDirectory.appendingPathComponent("analyzer-bench-split-\(getpid()).json")
    defer { try? FileManager.default.removeItem(at: splitURL) }
    do {
        try JSONSerialization.data(withJSONObject: ["test_indices": testIndices]).write(to: splitURL)
    } catch {
        return "unavailable: \(error)"
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, url.path, splitURL.path, target, jobs, String(seed)]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        return "unavailable: \(error)"
    }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let f = output.split(whereSeparator: \.isWhitespace).map(String.init)
    guard f.count == 7, let fit = Double(f[2]), let cpu = Double(f[3]) else {
        return output.isEmpty ? "unavailable (exit \(process.terminationStatus))" : output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return pad("", 8) + pad(f[0], 8) + pad(f[1], 7) + pad(String(format: "%.3f", fit), 9) + pad(String(format: "%.3f", cpu), 9)
        + pad("acc \(f[4])", 16) + "\(f[5]) nodes (scikit-learn \(f[6]))"
}
