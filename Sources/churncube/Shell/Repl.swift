import ChurnSyntax
import Foundation

/// The interactive loop: prompt, read (continuing until a statement ends with `;`), run, repeat.
/// Ctrl-C clears the statement being typed or cancels the one running; Ctrl-D leaves.
struct Repl {
    let session: Session
    let history: HistoryFile?

    var primaryPrompt: String { "\(session.cube.name)> " }

    /// `...> ` right-aligned under the primary prompt's `> `; inside an open string `'> `, inside a
    /// quoted name `"> ` and inside a block comment `*> `, so an unclosed quote shows at once.
    func continuationPrompt(open: ScriptSplit.OpenConstruct?) -> String {
        let mark: String
        switch open {
        case .string?: mark = "'"
        case .quotedIdentifier?: mark = "\""
        case .blockComment?: mark = "*"
        case .lineComment?, nil: mark = "..."
        }
        return String(repeating: " ", count: max(0, session.cube.name.count - mark.count)) + mark + "> "
    }

    func run() {
        var pending = ""
        let editor = LineEditor { lineBeforeCursor, wordStart in
            complete(pending: pending, lineBeforeCursor: lineBeforeCursor, wordStart: wordStart)
        }
        var lastEntry = ""
        for entry in history?.load() ?? [] {
            editor.addHistory(entry)
            lastEntry = entry
        }
        var open: ScriptSplit.OpenConstruct?

        while true {
            switch editor.readLine(prompt: pending.isEmpty ? primaryPrompt : continuationPrompt(open: open)) {
            case .end:
                session.print("")
                // An unfinished statement is not run, but kept to recall in the next session.
                if !pending.isEmpty, pending != lastEntry {
                    history?.append(pending)
                    Console.error("the unfinished statement was not run; it is kept in the history")
                }
                return
            case .interrupted:
                pending = ""
            case let .line(line):
                let buffer = pending.isEmpty ? line : pending + "\n" + line
                if buffer.allSatisfy(\.isWhitespace) {
                    pending = ""
                    continue
                }
                let split = ScriptSplitter.split(buffer)
                // A line ending in ';' inside a quote most likely ends a statement whose quote
                // was never closed: run it, and the lexer says where the quote opened.
                let endsStatement = line.trimmingCharacters(in: .whitespaces).hasSuffix(";")
                    && (split.openConstruct == .string || split.openConstruct == .quotedIdentifier)
                if split.isIncomplete && !endsStatement {
                    pending = buffer
                    open = split.openConstruct
                    continue
                }
                pending = ""
                if buffer != lastEntry {
                    editor.addHistory(buffer)
                    history?.append(buffer)
                    lastEntry = buffer
                }
                // A Ctrl-C at the prompt cleared a line; the one now running starts afresh, and while
                // it runs a second Ctrl-C leaves the shell, for work that does not stop on the first.
                InterruptSignal.cancellation.reset()
                _ = InterruptSignal.takePending()
                InterruptSignal.exitsOnRepeat(true)
                let outcome = session.runScript(buffer, origin: .prompt)
                InterruptSignal.exitsOnRepeat(false)
                _ = InterruptSignal.takePending()
                if outcome == .quit { return }
            }
        }
    }

    /// Completion for readline: the analyzer sees the whole statement typed so far; its partial
    /// word is then lined up with readline's word start on the current line.
    private func complete(pending: String, lineBeforeCursor: String, wordStart: Int) -> CompletionOffer {
        let prefix = pending.isEmpty ? "" : pending + "\n"
        let lineOffset = prefix.utf8.count
        let completer = Completer(cube: session.cube, ratioMeasures: session.ratioMeasures)
        let found = completer.candidates(before: prefix + lineBeforeCursor)
        if found.fileNames { return .fileNames }
        let ours = found.partialOffset - lineOffset
        let lineBytes = Array(lineBeforeCursor.utf8)
        guard ours >= 0, ours <= lineBytes.count, wordStart <= lineBytes.count else { return .candidates([]) }
        if ours >= wordStart {
            let lead = String(decoding: lineBytes[wordStart..<ours], as: UTF8.self)
            return .candidates(found.replacements.map { lead + $0 })
        }
        let extra = String(decoding: lineBytes[ours..<wordStart], as: UTF8.self)
        return .candidates(found.replacements.filter { $0.hasPrefix(extra) }.map { String($0.dropFirst(extra.count)) })
    }
}
