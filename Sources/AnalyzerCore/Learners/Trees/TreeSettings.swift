/// Limits of one tree (scikit-learn's names), resolved against the data.
struct TreeSettings: Sendable {
    var maxDepth: Int = .max
    var minSamplesSplit = 2
    var minSamplesLeaf = 1
    /// Features drawn at each split; the number of features means all.
    var maxFeatures: Int
    /// Derive the larger child's histograms by subtraction (off only to test that it changes nothing).
    var subtraction = true
}
