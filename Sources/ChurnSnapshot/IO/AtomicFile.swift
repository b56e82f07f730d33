import ChurnStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A file written atomically: into a temporary file beside the destination, then flushed to disk,
/// renamed over the destination and the directory flushed too. With `SaveTarget`, the files of
/// `IO/` are where the snapshot target calls the C library.
///
/// Until `commit()` succeeds the destination is untouched. A failed or abandoned write removes its
/// temporary file; one left by a killed process is removed by the next save to the same path, or
/// when the snapshot is next opened, with the lock file the killed writer left.
final class AtomicFile {
    /// The path as given, for messages.
    let path: String
    private let target: SaveTarget
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let bufferCapacity = 4 << 20
    private static let sequence = Atomic<Int>(0)
    /// Bytes written so far, buffered or not: the offset of the next byte.
    private(set) var offset = 0

    /// Starts writing the file `target` resolves to; it keeps the permission bits of the file it replaces.
    init(target: SaveTarget) throws {
        path = target.path
        self.target = target
        Self.removeAbandoned(directory: target.directory, name: target.name)
        let serial = Self.sequence.add(1, ordering: .relaxed).newValue
        temporaryPath = "\(target.directory).\(target.name).tmp-\(getpid())-\(serial)"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SnapshotError.cannotSave(path: path, reason: Self.lastError()) }
        do {
            try target.applyExistingAttributes(to: descriptor)
        } catch {
            discard()
            throw SnapshotError.cannotSave(path: path, reason: error.reason)
        }
        buffer.reserveCapacity(Self.bufferCapacity)
    }

    deinit { discard() }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > Self.bufferCapacity { try flush() }
        if bytes.count >= Self.bufferCapacity / 2 {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
        offset += bytes.count
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Flushes the file to disk, renames it over `path` and flushes the directory entry.
    func commit() throws {
        try flush()
        guard fsync(descriptor) == 0 else { throw failure() }
        let descriptorToClose = descriptor
        descriptor = -1
        guard close(descriptorToClose) == 0 else { throw failure() }
        guard rename(temporaryPath, target.resolvedPath) == 0 else { throw failure() }
        let directoryDescriptor = open(target.directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            // Some file systems refuse fsync on directories; the rename itself has happened.
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Closes and removes the temporary file unless it was committed.
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var cursor = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, cursor, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure()
            }
            cursor += written
            remaining -= written
        }
    }

    /// The error for the last failed call; the temporary file is removed at once.
    private func failure() -> SnapshotError {
        let reason = Self.lastError()
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
        return SnapshotError.cannotSave(path: path, reason: reason)
    }

    /// Removes the temporary files of saves to the snapshot at `path` whose process was killed, and
    /// the lock file a killed writer left, as opening the snapshot does. Only under the writer lock,
    /// taken if free, so never while another writer may be using them; releasing it removes the
    /// lock file. Nothing is made when there is nothing to remove.
    static func removeAbandoned(beside path: String) {
        guard let target = try? SaveTarget(path: path),
              !abandoned(directory: target.directory, name: target.name).isEmpty || access(SnapshotLock.lockPath(of: target), F_OK) == 0,
              let lock = SnapshotLock.acquireIfFree(path: path) else { return }
        defer { lock.release() }
        removeAbandoned(directory: target.directory, name: target.name)
    }

    /// Removes `.name.tmp-<pid>-<n>` files whose writing process no longer exists; the caller holds the writer lock.
    private static func removeAbandoned(directory: String, name: String) {
        for entryName in abandoned(directory: directory, name: name) { unlink(directory + entryName) }
    }

    /// Names of `.name.tmp-<pid>-<n>` files in `directory` whose process no longer exists.
    private static func abandoned(directory: String, name: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        let prefix = ".\(name).tmp-"
        var names: [String] = []
        while let entry = readdir(handle) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix),
                  let pid = entryName.dropFirst(prefix.count).split(separator: "-").first.flatMap({ Int32($0) }),
                  pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            names.append(entryName)
        }
        return names
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// Small reads outside the mapped path.
enum FileProbe {
    /// Up to `count` first bytes of a file, or nil when it cannot be read.
    static func prefix(of path: String, count: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, count) }
        guard read >= 0 else { return nil }
        return Array(bytes.prefix(read))
    }
}

// The C names shadowed by methods above.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(descriptor, bytes, count) }
