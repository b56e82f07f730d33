import Dispatch

/// Runs `body` for 0..<count on every core and returns the results in order; the first error
/// (by index) is rethrown once all have run.
package func parallelMap<T>(_ count: Int, _ body: (Int) throws -> T) rethrows -> [T] {
    guard count > 1 else { return try (0..<count).map(body) }
    let results = UnsafeMutableBufferPointer<Result<T, Error>?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deinitialize(); results.deallocate() }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        nonisolated(unsafe) let results = results
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results[index] = Result { try body(index) }
        }
    }
    return try results.map { try $0!.get() }
}
