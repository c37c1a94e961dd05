import Foundation

/// Compact binary form: an 8-byte magic `FDMODEL\0`, a `UInt32` version, then the model with
/// trees stored as flat little-endian arrays (a 100-tree forest on 100k rows is a few tens of MB
/// and loads in milliseconds, where JSON would be many times larger and slower).
///
/// Version 2 appends the drift reference (``ReferenceDistribution``) after the learner, so that the
/// one immutable artifact carries everything the model needs; version 1 artifacts still load, with
/// no reference.
extension TrainedModel {
    static let magic: [UInt8] = Array("FDMODEL".utf8) + [0]
    /// Current format version.
    public static let formatVersion = 2
    /// Versions ``deserialize(_:)`` reads.
    public static let readableFormatVersions = 1...2

    /// The model in the binary format.
    public func serialized() throws -> Data {
        var w = ModelBinaryWriter()
        for b in Self.magic { w.u8(b) }
        w.u32(Self.formatVersion)
        w.string(task.rawValue)
        w.string(algorithm.rawValue)
        w.string(target)
        w.strings(classes)
        let keys = parameters.keys.sorted()
        w.u32(keys.count)
        for key in keys {
            w.string(key)
            Self.write(parameters[key]!, to: &w)
        }
        Self.write(pipeline, to: &w)
        Self.write(learner, to: &w)
        Self.write(reference, to: &w)
        return Data(w.bytes)
    }

    /// Reads a model written by ``serialized()``; throws ``ModelFormatError`` for anything else.
    public static func deserialize(_ data: Data) throws -> TrainedModel {
        var r = ModelBinaryReader(data)
        guard Array(try r.bytes(magic.count)) == magic else { throw ModelFormatError("not a Firedrill model (bad magic)") }
        let version = try r.u32()
        guard readableFormatVersions.contains(version) else { throw ModelFormatError("unsupported model format version \(version)") }
        guard let task = ModelTask(rawValue: try r.string()) else { throw ModelFormatError("unknown task") }
        let algorithmName = try r.string()
        guard let algorithm = Algorithm(rawValue: algorithmName) else {
            throw ModelFormatError("unknown algorithm '\(algorithmName)'")
        }
        let target = try r.string()
        let classes = try r.strings()
        var parameters: [String: ParamValue] = [:]
        for _ in 0..<(try r.u32()) {
            let key = try r.string()
            parameters[key] = try readParam(&r)
        }
        let pipeline = try readPipeline(&r)
        let learner = try readLearner(&r)
        let reference = version >= 2 ? try readReference(&r) : nil
        guard r.isAtEnd else { throw ModelFormatError("trailing bytes after the model") }
        return try TrainedModel(
            task: task, algorithm: algorithm, target: target, classes: classes, parameters: parameters,
            pipeline: pipeline, learner: learner, reference: reference)
    }

    // MARK: Parameters

    private static func write(_ value: ParamValue, to w: inout ModelBinaryWriter) {
        switch value {
        case .number(let d): w.u8(0); w.f64(d)
        case .int(let i): w.u8(1); w.u64(UInt64(bitPattern: Int64(i)))
        case .string(let s): w.u8(2); w.string(s)
        case .bool(let b): w.u8(3); w.u8(b ? 1 : 0)
        case .null: w.u8(4)
        }
    }

    private static func readParam(_ r: inout ModelBinaryReader) throws(ModelFormatError) -> ParamValue {
        switch try r.u8() {
        case 0: return .number(try r.f64())
        case 1: return .int(Int(Int64(bitPattern: try r.u64())))
        case 2: return .string(try r.string())
        case 3: return .bool(try r.u8() != 0)
        case 4: return .null
        case let tag: throw ModelFormatError("unknown parameter tag \(tag)")
        }
    }

    // MARK: Pipeline

    private static func write(_ pipeline: FeaturePipeline, to w: inout ModelBinaryWriter) {
        w.string(pipeline.target)
        w.u32(pipeline.columns.count)
        for column in pipeline.columns {
            w.string(column.name)
            w.string(column.type.rawValue)
            switch column.encoding {
            case .standardized(let median, let mean, let scale):
                w.u8(0); w.f64(median); w.f64(mean); w.f64(scale)
            case .oneHot(let levels, let missingLevel):
                w.u8(1); w.strings(levels); w.u8(missingLevel ? 1 : 0)
            }
        }
        w.u32(pipeline.dropped.count)
        for d in pipeline.dropped {
            w.string(d.name)
            w.string(d.reason)
        }
    }

    private static func readPipeline(_ r: inout ModelBinaryReader) throws(ModelFormatError) -> FeaturePipeline {
        let target = try r.string()
        var columns: [FeatureColumn] = []
        var offset = 0
        for _ in 0..<(try r.u32()) {
            let name = try r.string()
            let typeName = try r.string()
            guard let type = ColumnType(rawValue: typeName) else { throw ModelFormatError("unknown column type '\(typeName)'") }
            let encoding: FeatureEncoding
            switch try r.u8() {
            case 0: encoding = .standardized(median: try r.f64(), mean: try r.f64(), scale: try r.f64())
            case 1: encoding = .oneHot(levels: try r.strings(), missingLevel: try r.u8() != 0)
            case let tag: throw ModelFormatError("unknown encoding tag \(tag)")
            }
            columns.append(FeatureColumn(name: name, type: type, encoding: encoding, offset: offset))
            offset += encoding.width
        }
        var dropped: [DroppedColumn] = []
        for _ in 0..<(try r.u32()) { dropped.append(DroppedColumn(name: try r.string(), reason: try r.string())) }
        return FeaturePipeline(target: target, columns: columns, dropped: dropped)
    }

    // MARK: Drift reference

    private static func write(_ reference: ReferenceDistribution?, to w: inout ModelBinaryWriter) {
        guard let reference else {
            w.u8(0)
            return
        }
        w.u8(1)
        w.u32(reference.features.count)
        for feature in reference.features {
            w.string(feature.name)
            switch feature.bins {
            case .numeric(let edges): w.u8(0); w.doubles(edges)
            case .categorical(let categories): w.u8(1); w.strings(categories)
            }
            w.u32(feature.expectedCounts.count)
            for count in feature.expectedCounts { w.u64(UInt64(count)) }
        }
    }

    private static func readReference(_ r: inout ModelBinaryReader) throws(ModelFormatError) -> ReferenceDistribution? {
        switch try r.u8() {
        case 0: return nil
        case 1: break
        case let tag: throw ModelFormatError("unknown reference tag \(tag)")
        }
        var features: [FeatureReference] = []
        for _ in 0..<(try r.u32()) {
            let name = try r.string()
            let bins: FeatureReference.Bins
            switch try r.u8() {
            case 0: bins = .numeric(innerEdges: try r.doubles())
            case 1: bins = .categorical(categories: try r.strings())
            case let tag: throw ModelFormatError("unknown reference bins tag \(tag)")
            }
            var counts: [Int] = []
            for _ in 0..<(try r.u32()) {
                let count = try r.u64()
                guard count <= UInt64(Int.max) else { throw ModelFormatError("reference count out of range") }
                counts.append(Int(count))
            }
            let binCount: Int
            switch bins {
            case .numeric(let edges): binCount = edges.count + 1
            case .categorical(let categories): binCount = categories.count
            }
            guard counts.count == binCount else {
                throw ModelFormatError("reference of '\(name)' has \(counts.count) counts for \(binCount) bins")
            }
            features.append(FeatureReference(name: name, bins: bins, expectedCounts: counts))
        }
        return ReferenceDistribution(features: features)
    }

    // MARK: Learner

    private static func write(_ learner: Learner, to w: inout ModelBinaryWriter) {
        switch learner {
        case .logisticRegression(let m):
            w.u8(0); w.u32(m.classCount); w.u32(m.featureCount); w.doubles(m.weights); w.doubles(m.intercepts)
        case .linear(let m):
            w.u8(1); w.doubles(m.coefficients); w.f64(m.intercept)
        case .decisionTree(let t):
            w.u8(2); write(t, to: &w)
        case .randomForest(let f):
            w.u8(3); w.u32(f.featureCount); w.u32(f.valueWidth); w.u32(f.trees.count)
            for t in f.trees { write(t, to: &w) }
        }
    }

    private static func write(_ tree: DecisionTree, to w: inout ModelBinaryWriter) {
        w.u32(tree.featureCount)
        w.u32(tree.valueWidth)
        w.int32s(tree.nodes.map(\.feature))
        w.doubles(tree.nodes.map(\.threshold))
        w.int32s(tree.nodes.map(\.child))
        w.doubles(tree.leafValues)
    }

    private static func readLearner(_ r: inout ModelBinaryReader) throws(ModelFormatError) -> Learner {
        switch try r.u8() {
        case 0:
            let classes = try r.u32(), features = try r.u32()
            let weights = try r.doubles(), intercepts = try r.doubles()
            let rows = classes == 2 ? 1 : classes
            guard classes >= 2, weights.count == rows * features, intercepts.count == rows else {
                throw ModelFormatError("logistic regression weights do not match \(classes) classes × \(features) features")
            }
            return .logisticRegression(LogisticRegressionModel(
                classCount: classes, featureCount: features, weights: weights, intercepts: intercepts))
        case 1:
            return .linear(LinearModel(coefficients: try r.doubles(), intercept: try r.f64()))
        case 2:
            return .decisionTree(try readTree(&r))
        case 3:
            let features = try r.u32(), width = try r.u32(), count = try r.u32()
            var trees: [DecisionTree] = []
            for _ in 0..<count {
                let t = try readTree(&r)
                guard t.featureCount == features, t.valueWidth == width else {
                    throw ModelFormatError("forest tree shape does not match the forest")
                }
                trees.append(t)
            }
            guard !trees.isEmpty else { throw ModelFormatError("forest without trees") }
            return .randomForest(RandomForest(featureCount: features, valueWidth: width, trees: trees))
        case let tag:
            throw ModelFormatError("unknown learner tag \(tag)")
        }
    }

    private static func readTree(_ r: inout ModelBinaryReader) throws(ModelFormatError) -> DecisionTree {
        let featureCount = try r.u32(), valueWidth = try r.u32()
        let feature = try r.int32s(), threshold = try r.doubles(), child = try r.int32s()
        guard feature.count == threshold.count, feature.count == child.count else {
            throw ModelFormatError("tree arrays differ in length")
        }
        let nodes = (0..<feature.count).map { TreeNode(threshold: threshold[$0], feature: feature[$0], child: child[$0]) }
        let tree = DecisionTree(featureCount: featureCount, valueWidth: valueWidth, nodes: nodes, leafValues: try r.doubles())
        guard tree.isWellFormed() else { throw ModelFormatError("malformed tree") }
        return tree
    }
}
