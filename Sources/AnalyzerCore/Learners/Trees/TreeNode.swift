/// One node of a ``DecisionTree`` (16 bytes, so a traversal step touches one cache line).
public struct TreeNode: Sendable, Equatable {
    /// Split threshold: a row goes left when `x[feature] <= threshold`.
    public var threshold: Double
    /// Split feature; -1 marks a leaf.
    public var feature: Int32
    /// Internal node: index of the left child (the right child follows it). Leaf: index of its
    /// value block in the tree's `leafValues`.
    public var child: Int32

    /// Whether the node is a leaf.
    public var isLeaf: Bool { feature < 0 }
}
