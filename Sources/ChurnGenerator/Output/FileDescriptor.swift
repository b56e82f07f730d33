#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor; the one place the generator calls the C library for I/O.
package struct FileDescriptor: Sendable {
    package let rawValue: Int32

    package static let standardOutput = FileDescriptor(rawValue: 1)
    package static let standardError = FileDescriptor(rawValue: 2)

    /// Whether the descriptor is a terminal (progress is shown only then).
    package var isTerminal: Bool { isatty(rawValue) == 1 }

    /// Creates a new file that must not exist yet, readable by everyone the umask allows.
    static func createExclusive(_ path: String) throws(Errno) -> FileDescriptor {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Errno.current }
        return FileDescriptor(rawValue: descriptor)
    }

    /// Writes every byte, retrying after interruptions and partial writes.
    package func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        guard var cursor = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(rawValue, cursor, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw Errno.current
            }
            cursor += written
            remaining -= written
        }
    }

    func close() throws(Errno) {
        guard systemClose(rawValue) == 0 else { throw Errno.current }
    }

    static func rename(_ source: String, to destination: String) throws(Errno) {
        guard systemRename(source, destination) == 0 else { throw Errno.current }
    }

    static func removeFile(_ path: String) {
        _ = unlink(path)
    }

    static var processID: Int { Int(getpid()) }
}

/// A C library error number with its readable message.
package struct Errno: Error, Equatable, CustomStringConvertible {
    package let code: Int32

    static var current: Errno { Errno(code: errno) }

    package var description: String { String(cString: strerror(code)) }
}

// The C names shadowed by FileDescriptor's own methods.
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
