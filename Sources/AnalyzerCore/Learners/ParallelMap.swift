import Dispatch

/// Runs `body(i)` for every `i` in `0..<count` on all cores and returns the results in index
/// order, so the output does not depend on thread scheduling.
func parallelMap<T: Sendable>(count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return count == 1 ? [body(0)] : [] }
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        let slots = ResultSlots(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            slots.set(i, body(i))
        }
        initialized = count
    }
}

/// Result storage written by `parallelMap`'s iterations: each index exactly once, by one thread.
private struct ResultSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    func set(_ i: Int, _ value: T) { (base + i).initialize(to: value) }
}
