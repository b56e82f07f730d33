import ChurnQuery
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C handling: a SIGINT handler that records the interrupt and cancels the running query.
///
/// The line editor takes the pending flag to clear the line being typed; a statement in progress
/// stops through `cancellation`. In batch mode, and in the shell while a line runs, a second
/// Ctrl-C before the first is handled exits at once with status 130, for work that does not
/// check the flag (such as loading data).
enum InterruptSignal {
    /// The cancellation every statement runs under; reset before each one.
    static let cancellation = Cancellation()
    private static let pending = Atomic<Bool>(false)
    private static let exitOnRepeat = Atomic<Bool>(false)

    /// Installs the handler. Without SA_RESTART, so a blocked `poll` returns to its caller.
    static func install(exitOnRepeat: Bool) {
        _ = cancellation.isCancelled  // initialise the globals before a signal can reach them
        self.exitOnRepeat.store(exitOnRepeat, ordering: .relaxed)
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in InterruptSignal.handle() }
        #else
        action.__sigaction_u.__sa_handler = { _ in InterruptSignal.handle() }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A parent may start us with SIGINT blocked or ignored; this process wants it.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    }

    private static func handle() {
        if pending.exchange(true, ordering: .relaxed) && exitOnRepeat.load(ordering: .relaxed) {
            _exit(130)
        }
        cancellation.cancel()
    }

    /// Whether a second Ctrl-C exits; the shell turns it on while a line runs.
    static func exitsOnRepeat(_ exits: Bool) {
        exitOnRepeat.store(exits, ordering: .relaxed)
    }

    /// Whether Ctrl-C was pressed since the last call; clears the flag.
    static func takePending() -> Bool {
        pending.exchange(false, ordering: .relaxed)
    }

    /// Whether Ctrl-C was pressed, without clearing it.
    static var isPending: Bool { pending.load(ordering: .relaxed) }
}
