import Synchronization

/// A flag the REPL raises on Ctrl-C; scans check it between row groups and stop with `QueryError.cancelled`.
package final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    package init() {}

    package func cancel() { flag.store(true, ordering: .relaxed) }
    package func reset() { flag.store(false, ordering: .relaxed) }
    package var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// A flag nobody raises, for callers without a way to cancel.
    package static let never = Cancellation()
}
