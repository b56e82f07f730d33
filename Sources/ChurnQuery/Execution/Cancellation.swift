import Synchronization

/// A flag the REPL raises on Ctrl-C; scans check it between row groups, and the hot-spot search
/// between blocks of cells, and stop with `QueryError.cancelled`.
package final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    package init() {}

    package func cancel() { flag.store(true, ordering: .relaxed) }
    package func reset() { flag.store(false, ordering: .relaxed) }
    package var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Throws `QueryError.cancelled` once the flag is raised: the check long loops make between blocks of work.
    package func check() throws {
        if isCancelled { throw QueryError.cancelled }
    }

    /// A flag nobody raises, for callers without a way to cancel.
    package static let never = Cancellation()
}
