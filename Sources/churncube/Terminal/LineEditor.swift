import CReadline
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one call to `LineEditor.readLine` produced.
enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C while typing: the line was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the input closed.
    case end
}

/// What tab completion offers for the word before the cursor.
enum CompletionOffer {
    /// Replacements for the text from readline's word start to the cursor.
    case candidates([String])
    /// File names, completed by readline itself.
    case fileNames
}

/// GNU readline behind Swift types: line editing, history, Ctrl-R, Ctrl-C and tab completion.
///
/// The only file that imports CReadline. It uses readline's callback interface and polls
/// standard input itself, so Ctrl-C (caught by `InterruptSignal`) clears the line being typed
/// instead of killing the process.
final class LineEditor {
    /// Called on Tab with the current line up to the cursor and the UTF-8 offset where
    /// readline's word starts; returns replacements for that word.
    typealias Completer = (_ lineBeforeCursor: String, _ wordStart: Int) -> CompletionOffer

    init(completer: @escaping Completer) {
        LineEditorState.completer = completer
        // `'`, `"`, `.` and `/` are not word breaks: the completer sees quotes, dot-commands and
        // paths whole. Both strings live as long as the process.
        churncube_rl_configure(strdup("churncube"), strdup(" \t\n()=<>,;*+-|!%")) { text, start, end in
            LineEditorState.complete(text: text, start: Int(start), end: Int(end))
        }
    }

    // MARK: - Reading

    /// Reads one line with `prompt`, returning it without its newline.
    func readLine(prompt: String) -> LineInput {
        LineEditorState.received = nil
        rl_callback_handler_install(prompt) { line in
            LineEditorState.received = line.map { .line(String(cString: $0)) } ?? .end
            free(line)
            // Stop reading further characters into this line; the caller installs a new handler.
            rl_callback_handler_remove()
        }
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while LineEditorState.received == nil {
            // A Ctrl-C that came while a character was being handled interrupted no poll.
            if InterruptSignal.takePending() {
                churncube_rl_discard_line()
                return .interrupted
            }
            let ready = poll(&descriptor, 1, -1)
            if ready < 0 {
                guard errno == EINTR else { LineEditorState.received = .end; break }
                if InterruptSignal.takePending() {
                    churncube_rl_discard_line()
                    return .interrupted
                }
                continue
            }
            rl_callback_read_char()
        }
        return LineEditorState.received ?? .end
    }

    // MARK: - History

    /// Adds an entry to the in-memory history (Up arrow, Ctrl-R).
    func addHistory(_ entry: String) {
        add_history(entry)
    }
}

/// Readline calls back through C function pointers, which cannot capture context: the state they
/// reach lives here. Readline runs on the main thread only.
private enum LineEditorState {
    nonisolated(unsafe) static var completer: LineEditor.Completer?
    nonisolated(unsafe) static var received: LineInput?
    nonisolated(unsafe) static var matches: [String] = []
    nonisolated(unsafe) static var matchIndex = 0

    static func complete(text: UnsafePointer<CChar>?, start: Int, end: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        churncube_rl_completion_flags(0)
        guard let completer, let buffer = churncube_rl_line_buffer() else { return nil }
        let line = String(cString: buffer)
        let bytes = Array(line.utf8)
        let cursor = min(Int(churncube_rl_point()), bytes.count)
        let beforeCursor = String(decoding: bytes[..<cursor], as: UTF8.self)
        switch completer(beforeCursor, start) {
        case .fileNames:
            churncube_rl_completion_flags(1)
            return rl_completion_matches(text, rl_filename_completion_function)
        case let .candidates(candidates):
            guard !candidates.isEmpty else { return nil }
            matches = candidates
            matchIndex = 0
            return rl_completion_matches(text) { _, state in
                if state == 0 { LineEditorState.matchIndex = 0 }
                guard LineEditorState.matchIndex < LineEditorState.matches.count else { return nil }
                defer { LineEditorState.matchIndex += 1 }
                return strdup(LineEditorState.matches[LineEditorState.matchIndex])
            }
        }
    }
}
