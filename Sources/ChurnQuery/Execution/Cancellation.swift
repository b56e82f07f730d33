import Synchronization

/// A stop request for a running query, set from another thread or a signal handler.
///
/// The engine polls `isCancelled` between chunks and stops with a "cancelled" error; the shell
/// calls `cancel()` on Ctrl-C and `reset()` before the next statement. A lock-free atomic, so
/// `cancel()` is safe to call from a SIGINT handler.
package final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    package init() {}

    package func cancel() { flag.store(true, ordering: .relaxed) }

    package var isCancelled: Bool { flag.load(ordering: .relaxed) }

    package func reset() { flag.store(false, ordering: .relaxed) }
}
