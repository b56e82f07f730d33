#if Spark
import Dispatch
import Synchronization

/// Runs async work from synchronous code and waits for it.
///
/// The work runs in a detached task; the calling thread sleeps on a semaphore. Call it only from
/// a thread outside Swift's cooperative pool (the shell's main thread), since a pool thread
/// blocked here would be one fewer to run the work itself.
enum BlockingBridge {
    static func run<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) throws -> Value {
        let outcome = Outcome<Value>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                outcome.set(.success(try await work()))
            } catch {
                outcome.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        return try outcome.take().get()
    }

    /// Waits at most `limit` for a semaphore; false when it timed out.
    static func wait(_ semaphore: DispatchSemaphore, atMost limit: Duration) -> Bool {
        let nanoseconds = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
        return semaphore.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds))) == .success
    }
}

/// A result handed from the task to the waiting thread.
private final class Outcome<Value: Sendable>: Sendable {
    private let storage = Mutex<Result<Value, any Error>?>(nil)

    func set(_ result: Result<Value, any Error>) {
        storage.withLock { $0 = result }
    }

    func take() -> Result<Value, any Error> {
        storage.withLock { $0! }
    }
}
#endif
