import ChurnSyntax

/// The interactive loop: prompt, read (continuing until a statement ends with `;`), run, repeat.
/// Ctrl-C clears the statement being typed or cancels the one running; Ctrl-D leaves.
struct Repl {
    let session: Session
    let history: HistoryFile?

    var primaryPrompt: String { "\(session.cube.name)> " }

    /// `...> ` right-aligned under the primary prompt's `> `.
    var continuationPrompt: String {
        String(repeating: " ", count: max(0, session.cube.name.count - 3)) + "...> "
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

        while true {
            switch editor.readLine(prompt: pending.isEmpty ? primaryPrompt : continuationPrompt) {
            case .end:
                session.print("")
                return
            case .interrupted:
                pending = ""
            case let .line(line):
                let buffer = pending.isEmpty ? line : pending + "\n" + line
                if buffer.allSatisfy(\.isWhitespace) {
                    pending = ""
                    continue
                }
                if ScriptSplitter.split(buffer).isIncomplete {
                    pending = buffer
                    continue
                }
                pending = ""
                if buffer != lastEntry {
                    editor.addHistory(buffer)
                    history?.append(buffer)
                    lastEntry = buffer
                }
                let outcome = session.runScript(buffer, origin: .prompt)
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
        let completer = Completer(cube: session.cube)
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
