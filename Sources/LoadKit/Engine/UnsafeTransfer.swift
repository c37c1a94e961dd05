/// Moves a non-Sendable value across a hop whose ordering makes it safe.
struct UnsafeTransfer<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
