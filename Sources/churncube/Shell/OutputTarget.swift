#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where results go: standard output, or a file chosen with `.output`. Each line is written at
/// once, unbuffered, so results interleave correctly with messages on standard error. A write
/// that fails (a full disk) is remembered for the statement to report.
final class OutputTarget {
    private let descriptor: Int32
    let path: String?
    /// A statement's result was written here (and, at the prompt, since the entry began).
    var hasResults = false
    /// Why a write failed since `takeFailure()` was last called.
    private var failure: String?

    init() {
        descriptor = STDOUT_FILENO
        path = nil
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Opens `path` for writing, replacing its contents.
    static func file(_ path: String) -> OutputTarget? {
        let raw = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard raw >= 0 else { return nil }
        return OutputTarget(descriptor: raw, path: path)
    }

    var isTerminal: Bool { path == nil && isatty(descriptor) == 1 }

    /// The terminal's width in columns (as it is now: windows resize), nil when the output is
    /// not a terminal.
    var terminalColumns: Int? {
        guard isTerminal else { return nil }
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return getenv("COLUMNS").flatMap { Int(String(cString: $0)) }.flatMap { $0 > 0 ? $0 : nil }
    }

    func writeLine(_ text: String) {
        if let error = Self.write(text + "\n", to: descriptor), failure == nil {
            failure = "cannot write to '\(path ?? "standard output")': \(String(cString: strerror(error)))"
        }
    }

    /// The first write failure since the last call, cleared.
    func takeFailure() -> String? {
        defer { failure = nil }
        return failure
    }

    func close() {
        if path != nil { _ = closeDescriptor(descriptor) }
    }

    /// Writes every byte, retrying after interruptions and partial writes; the errno of a write
    /// that fails, else nil.
    @discardableResult
    static func write(_ text: String, to descriptor: Int32) -> Int32? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }
}

/// Messages for the user on standard error.
enum Console {
    /// Text for the terminal on standard output, outside any result.
    static func output(_ text: String) {
        OutputTarget.write(text, to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        OutputTarget.write(text + "\n", to: STDERR_FILENO)
    }
}

// The C names shadowed by OutputTarget's own methods.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

private func closeDescriptor(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
