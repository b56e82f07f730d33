import Synchronization

/// Where a remote engine's progress goes while a statement runs there: tasks done out of the
/// tasks of the stages started so far. The shell draws it on a terminal; nobody else listens.
package final class RemoteProgress: Sendable {
    package typealias Handler = @Sendable (_ completedTasks: Int, _ totalTasks: Int) -> Void
    private let handler = Mutex<Handler?>(nil)

    package init() {}

    package func observe(_ handler: Handler?) {
        self.handler.withLock { $0 = handler }
    }

    package func report(completedTasks: Int, totalTasks: Int) {
        let current = handler.withLock { $0 }
        current?(completedTasks, totalTasks)
    }
}
