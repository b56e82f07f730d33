#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory; the mapping lives as long as the object.
///
/// Chunk bodies of an opened snapshot point into the mapping and hold a reference to it, so the
/// pages stay valid while any chunk does, and are read from disk only when a chunk is first used.
/// Files are replaced by renaming a new file over them, never rewritten in place, so a mapping
/// keeps seeing the file it opened.
package final class MappedFile: @unchecked Sendable {
    /// The path as given, used in messages.
    package let path: String
    /// The file's bytes; never written through, so sharing across threads is safe.
    package let bytes: UnsafeRawBufferPointer

    package init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.cannotRead(path: path, reason: Self.lastError()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw StorageError.cannotRead(path: path, reason: Self.lastError()) }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw StorageError.cannotRead(path: path, reason: "it is a directory") }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw StorageError.cannotRead(path: path, reason: Self.lastError())
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let address = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: address), bytes.count) }
    }

    package var count: Int { bytes.count }

    /// `count` bytes at `offset`; the caller has checked the range against `count`.
    package func slice(offset: Int, count: Int) -> UnsafeRawBufferPointer {
        precondition(offset >= 0 && count >= 0 && offset <= bytes.count - count, "slice outside the mapped file")
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
