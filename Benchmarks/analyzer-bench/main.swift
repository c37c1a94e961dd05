import AnalyzerCore
import Foundation

/// analyzer-bench: release-built benchmarks of AnalyzerCore (numbers go to BENCHMARKS.md).
///
///     analyzer-bench generate ROWS PATH [SEED]       write the synthetic 22-column CSV
///     analyzer-bench ingest PATH [REPEATS]           CSV loading throughput (+ pandas)
///     analyzer-bench train PATH [ALGORITHM…]         training time and test score (+ scikit-learn RF)
///     analyzer-bench predict PATH [ALGORITHM…]       single-row predict latency
///
/// ALGORITHM: logistic_regression, linear_regression, ridge, decision_tree, random_forest;
/// append `:regression` to a tree algorithm to train it on the regression target. Options (train,
/// predict): `--target NAME` (class target, default `target`), `--regression-target NAME`
/// (default `f1`), `--seed N` (default 42), `--calls N` (predict, default 100000).

func usage() -> Never {
    let text = """
        usage: analyzer-bench generate ROWS PATH [SEED]
               analyzer-bench ingest PATH [REPEATS]
               analyzer-bench train PATH [ALGORITHM…] [--target NAME] [--regression-target NAME] [--seed N]
               analyzer-bench predict PATH [ALGORITHM…] [--target NAME] [--regression-target NAME] [--seed N] [--calls N]
        ALGORITHM: \(Algorithm.allCases.map(\.rawValue).joined(separator: ", ")) (tree algorithms accept a :regression suffix)

        """
    FileHandle.standardError.write(Data(text.utf8))
    exit(2)
}

/// Positional arguments and `--name value` options.
func parse(_ args: [String]) -> (positional: [String], options: [String: String]) {
    var positional: [String] = []
    var options: [String: String] = [:]
    var i = 0
    while i < args.count {
        if args[i].hasPrefix("--") {
            guard i + 1 < args.count else { usage() }
            options[String(args[i].dropFirst(2))] = args[i + 1]
            i += 2
        } else {
            positional.append(args[i])
            i += 1
        }
    }
    return (positional, options)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { usage() }
let (positional, options) = parse(Array(arguments.dropFirst()))
let seed = options["seed"].map { UInt64($0) ?? { usage() }() } ?? 42

switch command {
case "generate":
    guard positional.count >= 2, let rows = Int(positional[0]), rows > 0 else { usage() }
    let url = URL(fileURLWithPath: positional[1])
    let dataSeed = positional.count > 2 ? (UInt64(positional[2]) ?? { usage() }()) : 42
    do {
        try generateSyntheticDataset(rows: rows, seed: dataSeed, to: url)
        print("wrote \(rows) rows to \(url.path)")
    } catch {
        print("generate failed: \(error)")
        exit(1)
    }
case "ingest":
    guard let path = positional.first else { usage() }
    let repeats = positional.count > 1 ? (Int(positional[1]) ?? { usage() }()) : 5
    print(ingestBenchmark(url: URL(fileURLWithPath: path), repeats: repeats))
case "train", "predict":
    guard let path = positional.first else { usage() }
    let specs = positional.count > 1 ? Array(positional.dropFirst()) : BenchAlgorithm.defaults
    let algorithms = specs.map { BenchAlgorithm($0) ?? { usage() }() }
    let classTarget = options["target"] ?? "target"
    let regressionTarget = options["regression-target"] ?? "f1"
    let url = URL(fileURLWithPath: path)
    if command == "train" {
        print(trainBenchmark(url: url, algorithms: algorithms, classTarget: classTarget, regressionTarget: regressionTarget, seed: seed))
    } else {
        let calls = options["calls"].map { Int($0) ?? { usage() }() } ?? 100_000
        print(predictBenchmark(url: url, algorithms: algorithms, classTarget: classTarget, regressionTarget: regressionTarget, calls: max(calls, 1), seed: seed))
    }
default:
    usage()
}
