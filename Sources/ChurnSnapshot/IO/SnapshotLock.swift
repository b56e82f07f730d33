import ChurnStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The right to replace one snapshot file: an advisory lock (`flock`) on `.<name>.lock` beside the
/// file. Every save takes it, and `append` holds it from reading the old file to renaming the new
/// one over it, so two writers of a snapshot wait for each other instead of one losing the
/// other's rows. A writer that waits longer than `timeout` gives up, naming the file.
///
/// The lock file is removed on release. A waiter that wins the lock on a lock file already removed
/// opens the new one and waits again, so at most one writer holds the lock of a live file; one left
/// by a killed process holds no lock: it is reused, and removed when the snapshot is next opened.
package final class SnapshotLock {
    /// How long a writer waits for another to finish.
    package static let defaultTimeout: Duration = .seconds(30)

    /// The path as given, for messages.
    package var path: String { target.path }
    /// The file the lock guards, resolved when it was taken.
    let target: SaveTarget
    private let lockPath: String
    private var descriptor: Int32

    /// Waits up to `timeout` for the lock of the snapshot `path` names.
    package static func acquire(path: String, timeout: Duration = defaultTimeout) throws -> SnapshotLock {
        try SnapshotLock(target: SaveTarget.snapshot(path), timeout: timeout)
    }

    private init(target: SaveTarget, timeout: Duration) throws {
        self.target = target
        lockPath = Self.lockPath(of: target)
        let deadline = ContinuousClock.now + timeout
        func failure(_ reason: String) -> SnapshotError { .cannotSave(path: target.path, reason: reason) }
        while true {
            // Read-only is enough for flock, and lets every user who may read the lock file take it.
            let opened = open(lockPath, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
            guard opened >= 0 else { throw failure("cannot create the lock file \(lockPath): \(SaveTarget.lastError())") }
            while flock(opened, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    let reason = SaveTarget.lastError()
                    close(opened)
                    throw failure("cannot lock \(lockPath): \(reason)")
                }
                guard ContinuousClock.now < deadline else {
                    close(opened)
                    throw SnapshotError.busy(path: target.path, waitedSeconds: Int(timeout.components.seconds))
                }
                usleep(20_000)
            }
            // The writer before may have removed the file between our open and our lock.
            var held = stat(), named = stat()
            if fstat(opened, &held) == 0 && stat(lockPath, &named) == 0 && held.st_dev == named.st_dev && held.st_ino == named.st_ino {
                descriptor = opened
                return
            }
            close(opened)
        }
    }

    deinit { release() }

    /// `.<name>.lock` beside the snapshot.
    static func lockPath(of target: SaveTarget) -> String { "\(target.directory).\(target.name).lock" }

    /// Removes the lock file and lets the next writer in; releasing twice does nothing.
    package func release() {
        guard descriptor >= 0 else { return }
        unlink(lockPath)
        close(descriptor)
        descriptor = -1
    }

    /// Takes the lock only if no one holds it, for housekeeping that must not wait.
    static func acquireIfFree(path: String) -> SnapshotLock? {
        guard let target = try? SaveTarget(path: path) else { return nil }
        return try? SnapshotLock(target: target, timeout: .zero)
    }
}
