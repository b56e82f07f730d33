#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The file a save replaces: the path with its symbolic links resolved, so that saving through a
/// link replaces the file it points to and keeps the link, and the existing file's permission bits
/// and owner, which the new file gets too.
///
/// Anything that exists and is not a regular file (a device, a directory, a pipe) is refused:
/// renaming a snapshot over `/dev/full` would replace the device, not write to it. Snapshots and
/// generated CSV files are both saved this way.
package struct SaveTarget: Sendable {
    /// Why the path cannot be saved to; callers name it in their own error.
    package struct Refusal: Error, Equatable {
        package let reason: String
    }

    /// The path as given, for messages.
    package let path: String
    /// The directory of the file that gets replaced, symbolic links resolved, with a final `/`.
    package let directory: String
    /// The file name within `directory`.
    package let name: String
    /// Permission bits, owner and group of the file being replaced; nil for a new file.
    package let existing: (mode: mode_t, owner: uid_t, group: gid_t)?

    /// `directory + name`.
    package var resolvedPath: String { directory + name }

    package init(path: String) throws(Refusal) {
        self.path = path
        func refuse(_ reason: String) -> Refusal { Refusal(reason: reason) }
        guard !path.isEmpty, !path.hasSuffix("/") else { throw refuse("the path names a directory") }
        var info = stat()
        let resolved: String
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG else { throw refuse("it is \(Self.kind(of: info.st_mode)), not a regular file") }
            guard let real = realpath(path, nil) else { throw refuse(Self.lastError()) }
            resolved = String(cString: real)
            free(real)
            existing = (info.st_mode & 0o7777, info.st_uid, info.st_gid)
        } else {
            guard errno == ENOENT else { throw refuse(Self.lastError()) }
            if lstat(path, &info) == 0 {
                throw refuse("it is a symbolic link to '\(Self.linkTarget(path))', which does not exist")
            }
            // A new file: resolve its directory, so that every path to the file takes the same lock.
            let slash = path.lastIndex(of: "/")
            let parent = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            let fileName = slash.map { String(path[path.index(after: $0)...]) } ?? path
            guard let real = realpath(parent, nil) else { throw refuse("its directory '\(parent)': \(Self.lastError())") }
            let directory = String(cString: real)
            free(real)
            resolved = directory == "/" ? "/" + fileName : directory + "/" + fileName
            existing = nil
        }
        let slash = resolved.lastIndex(of: "/")!
        directory = String(resolved[...slash])
        name = String(resolved[resolved.index(after: slash)...])
    }

    /// Gives the file open at `descriptor` the replaced file's permission bits and, as far as this
    /// process may, its owner and group.
    package func applyExistingAttributes(to descriptor: Int32) throws(Refusal) {
        guard let existing else { return }
        var info = stat()
        if fstat(descriptor, &info) == 0 && (info.st_uid != existing.owner || info.st_gid != existing.group) {
            // Only the superuser may give a file away; the group may still be settable.
            if fchown(descriptor, existing.owner, existing.group) != 0 { _ = fchown(descriptor, uid_t.max, existing.group) }
        }
        guard fchmod(descriptor, existing.mode) == 0 else { throw Refusal(reason: Self.lastError()) }
    }

    private static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    private static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return "?" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    package static func lastError() -> String { String(cString: strerror(errno)) }
}
