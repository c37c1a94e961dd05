/// Trains and evaluates a model on a table: the entry point of the ML core.
public enum Trainer {
    /// Fewest rows with a target value that training accepts.
    public static let minimumRows = 5
    /// With `task: .auto`, an integer target with more distinct values than this is regression.
    public static let maxAutoClasses = 20

    /// The hyper-parameter names `algorithm` accepts.
    public static func parameterNames(for algorithm: Algorithm) -> [String] {
        LearnerSettings.parameterNames(for: algorithm)
    }

    /// Trains `config.algorithm` on `table`:
    /// 1. resolves the task (see ``TaskChoice``) and validates algorithm and parameters;
    /// 2. drops rows whose target is missing;
    /// 3. splits: `config.testIndices` if given, else a seeded shuffle of `testFraction` (rounded
    ///    up) of the rows, stratified by class for classification;
    /// 4. fits `generate_features` and the learner on the training rows only;
    /// 5. evaluates on the test rows.
    public static func train(table: Table, config: TrainingConfig) throws(TrainingError) -> TrainingResult {
        let clock = ContinuousClock()
        let started = clock.now
        guard let targetColumn = table.column(named: config.target) else {
            throw TrainingError(.unknownTarget, "target column '\(config.target)' is not in the dataset; columns: \(table.columnNames.joined(separator: ", "))")
        }
        let present = presentRows(targetColumn)
        guard !present.isEmpty else {
            throw TrainingError(.targetAllMissing, "target column '\(config.target)' has no values")
        }
        let task = try resolveTask(config.task, column: targetColumn, rows: present)
        guard config.algorithm.supports(task) else {
            throw TrainingError(
                .taskMismatch,
                "\(config.algorithm.rawValue) cannot do \(task.rawValue) (target '\(config.target)'); use one of: "
                    + Algorithm.allCases.filter { $0.supports(task) }.map(\.rawValue).joined(separator: ", "))
        }
        let settings = try LearnerSettings.resolve(
            algorithm: config.algorithm, task: task, params: config.params, defaultSeed: config.seed)

        // Target values per table row (only `present` rows are read).
        var labels: [String] = []
        var values: [Double] = []
        if task == .classification {
            labels = classLabels(targetColumn)
            let distinct = Set(present.map { labels[$0] })
            guard distinct.count >= 2 else {
                throw TrainingError(.singleClass, "target column '\(config.target)' has a single class '\(distinct.first!)'")
            }
        } else if case .numbers(let v) = targetColumn.data {
            values = v
        }
        guard present.count >= minimumRows else {
            throw TrainingError(
                .tooFewRows, "target column '\(config.target)' has \(present.count) rows with a value; at least \(minimumRows) are needed")
        }

        try checkMagnitudes(table, rows: present)

        let (trainRows, testRows) = try split(
            rowCount: table.rowCount, present: present, labels: task == .classification ? labels : nil, config: config)

        let trainTable = table.rows(trainRows)
        let testTable = table.rows(testRows)
        let pipeline = try FeaturePipeline.fit(table: trainTable, target: config.target)
        let xTrain = pipeline.generateFeatures(trainTable)
        let xTest = pipeline.generateFeatures(testTable)

        let classes: [String]
        let target: LearnerTarget
        if task == .classification {
            classes = LabelOrder.sorted(trainRows.map { labels[$0] })
            guard classes.count >= 2 else {
                throw TrainingError(.singleClass, "the training rows of target '\(config.target)' contain a single class '\(classes[0])'")
            }
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int32($0)) })
            target = .classes(trainRows.map { index[labels[$0]]! }, count: classes.count)
        } else {
            classes = []
            target = .values(trainRows.map { values[$0] })
        }
        let learner = Learner.fit(x: xTrain, target: target, settings: settings)
        let model: TrainedModel
        do {
            model = try TrainedModel(
                task: task, algorithm: config.algorithm, target: config.target, classes: classes,
                parameters: settings.parameters, pipeline: pipeline, learner: learner,
                reference: ReferenceDistribution.fit(table: trainTable, pipeline: pipeline))
        } catch {
            preconditionFailure("Trainer: inconsistent model: \(error)")
        }

        var evaluation = Evaluation()
        if task == .classification {
            evaluation.classification = ClassificationMetrics(
                actual: testRows.map { labels[$0] }, predicted: model.predictedLabels(for: xTest))
        } else {
            evaluation.regression = RegressionMetrics(
                actual: testRows.map { values[$0] }, predicted: model.predictedValues(for: xTest))
        }
        let elapsed = started.duration(to: clock.now).components
        return TrainingResult(
            model: model, evaluation: evaluation, trainRows: trainRows.count, testRows: testRows.count,
            testIndices: testRows, durationSeconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
    }

    /// Refuses a numeric column whose squares overflow a double over `rows` (values near 1e154 and
    /// up): standardising it, fitting a linear model or scoring one would meet infinities (a
    /// linear solver never converged, the metrics could not be written as JSON). scikit-learn's
    /// `check_array` refuses such input the same way ("a value too large for dtype('float64')").
    static func checkMagnitudes(_ table: Table, rows: [Int]) throws(TrainingError) {
        for column in table.columns {
            guard case .numbers(let values) = column.data else { continue }
            var squares = 0.0
            for row in rows where values[row].isFinite {
                squares += values[row] * values[row]
                if !squares.isFinite {
                    throw TrainingError(
                        .valueTooLarge,
                        "column '\(column.name)' has values too large to train on (\(values[row]) at data row \(row + 1)): "
                            + "their squares overflow a double; rescale the column")
                }
            }
        }
    }

    /// The task for `choice` on a target column (the rows in `rows` have a value).
    static func resolveTask(_ choice: TaskChoice, column: Column, rows: [Int]) throws(TrainingError) -> ModelTask {
        switch (choice, column.data) {
        case (.classification, _):
            return .classification
        case (.regression, .numbers):
            return .regression
        case (.regression, .strings):
            throw TrainingError(
                .taskMismatch, "regression needs a numeric target; column '\(column.name)' is \(column.type.rawValue)")
        case (.auto, .strings):
            return .classification
        case (.auto, .numbers(let v)):
            guard column.type == .integer else { return .regression }
            var distinct = Set<Double>()
            for r in rows {
                distinct.insert(v[r])
                if distinct.count > maxAutoClasses { return .regression }
            }
            return .classification
        }
    }

    /// Rows whose target value is present.
    static func presentRows(_ column: Column) -> [Int] {
        switch column.data {
        case .numbers(let v): v.indices.filter { !v[$0].isNaN }
        case .strings(let s): s.indices.filter { s[$0] != nil }
        }
    }

    /// The class label of every row ("" where missing): strings as they are, numbers as
    /// `generate_features` names categories (`1` for 1.0).
    static func classLabels(_ column: Column) -> [String] {
        switch column.data {
        case .numbers(let v): v.map { $0.isNaN ? "" : FeaturePipeline.categoryString($0) }
        case .strings(let s): s.map { $0 ?? "" }
        }
    }

    /// Train and test rows (ascending table row indices).
    static func split(
        rowCount: Int, present: [Int], labels: [String]?, config: TrainingConfig
    ) throws(TrainingError) -> (train: [Int], test: [Int]) {
        if let given = config.testIndices {
            guard !given.isEmpty else { throw TrainingError(.invalidTestIndices, "test_indices is empty") }
            var seen = Set<Int>()
            for i in given {
                guard (0..<rowCount).contains(i) else {
                    throw TrainingError(.invalidTestIndices, "test_indices: \(i) is outside 0..<\(rowCount)")
                }
                guard seen.insert(i).inserted else {
                    throw TrainingError(.invalidTestIndices, "test_indices: \(i) appears more than once")
                }
            }
            // Rows without a target are in neither split.
            let test = present.filter { seen.contains($0) }
            let train = present.filter { !seen.contains($0) }
            guard !train.isEmpty else {
                throw TrainingError(.invalidTestIndices, "test_indices cover every row with a target; no training rows are left")
            }
            guard !test.isEmpty else {
                throw TrainingError(.invalidTestIndices, "test_indices select no row with a target value")
            }
            return (train, test)
        }
        let fraction = config.testFraction
        guard fraction > 0, fraction < 1 else {
            throw TrainingError(.invalidParameter, "parameter 'test_fraction' must be a number in (0, 1), got \(fraction)")
        }
        let n = present.count
        let testCount = min(n - 1, max(1, Int((fraction * Double(n) - 1e-9).rounded(.up))))
        var rng = DeterministicRNG(seed: config.seed)
        var test: [Int] = []
        if let labels {
            test = stratifiedTest(present: present, labels: labels, testCount: testCount, rng: &rng)
        } else {
            var shuffled = present
            rng.shuffle(&shuffled)
            test = Array(shuffled.prefix(testCount))
        }
        test.sort()
        let testSet = Set(test)
        return (present.filter { !testSet.contains($0) }, test)
    }

    /// `testCount` rows drawn class by class in proportion to class sizes (largest remainders get
    /// the leftover rows), keeping at least one row of each class for training.
    static func stratifiedTest(
        present: [Int], labels: [String], testCount: Int, rng: inout DeterministicRNG
    ) -> [Int] {
        let classes = LabelOrder.sorted(present.map { labels[$0] })
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var groups = [[Int]](repeating: [], count: classes.count)
        for r in present { groups[index[labels[r]]!].append(r) }
        let n = Double(present.count)
        var take = groups.map { g in min(Int(Double(testCount) * Double(g.count) / n), max(0, g.count - 1)) }
        var left = testCount - take.reduce(0, +)
        let byRemainder = groups.indices.sorted { a, b in
            let ra = Double(testCount) * Double(groups[a].count) / n - Double(take[a])
            let rb = Double(testCount) * Double(groups[b].count) / n - Double(take[b])
            return ra != rb ? ra > rb : a < b
        }
        while left > 0 {
            var gave = false
            for c in byRemainder where left > 0 && take[c] < groups[c].count - 1 {
                take[c] += 1
                left -= 1
                gave = true
            }
            if !gave { break }
        }
        var test: [Int] = []
        for c in groups.indices {
            var g = groups[c]
            rng.shuffle(&g)
            test.append(contentsOf: g.prefix(take[c]))
        }
        return test
    }
}
