import ChurnQuery
import Foundation

/// Hooks the command-line tests use to observe behaviour that is otherwise too fast to catch.
///
/// `CHURNCUBE_TEST_STATEMENT_DELAY=<seconds>` makes every statement wait that long before it
/// runs, checking for Ctrl-C every 10 ms, so a test can interrupt a "running" statement.
/// `CHURNCUBE_TEST_APPEND_DELAY=<seconds>` makes `append` wait that long between reading the
/// snapshot and writing it back, so a test can run two appends of one file at the same time.
enum TestHooks {
    static let statementDelay: Double? = ProcessInfo.processInfo.environment["CHURNCUBE_TEST_STATEMENT_DELAY"].flatMap(Double.init)
    static let appendDelay: Double? = ProcessInfo.processInfo.environment["CHURNCUBE_TEST_APPEND_DELAY"].flatMap(Double.init)

    /// Thrown when the delay is cut short by Ctrl-C.
    struct Cancelled: Error, CustomStringConvertible {
        var description: String { "cancelled" }
    }

    static func delayAppend() {
        if let appendDelay { Thread.sleep(forTimeInterval: appendDelay) }
    }

    static func delayStatement(cancellation: Cancellation) throws {
        guard let statementDelay else { return }
        let deadline = ContinuousClock.now + .milliseconds(Int(statementDelay * 1000))
        while ContinuousClock.now < deadline {
            if cancellation.isCancelled { throw Cancelled() }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
