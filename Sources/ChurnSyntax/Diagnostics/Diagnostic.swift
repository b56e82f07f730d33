/// A message about a place in query text, shared by every stage from the lexer to the planner.
///
/// `render` prints the compiler-style report: `origin:line:column: error: message; hint`, the
/// source line, then a caret with tildes under the range.
package struct Diagnostic: Hashable, Sendable {
    /// How serious the message is; printed before the message.
    package enum Severity: String, Hashable, Sendable {
        case error, warning, note
    }

    package var severity: Severity
    package var message: String
    package var range: SourceRange
    package var hint: String?
    /// The message ends by naming where the range starts (`unterminated string starting at
    /// 3:14`), which `render` writes in the script's coordinates like the header.
    package var namesStart: Bool

    package init(_ message: String, range: SourceRange, hint: String? = nil, severity: Severity = .error, namesStart: Bool = false) {
        self.severity = severity
        self.message = message
        self.range = range
        self.hint = hint
        self.namesStart = namesStart
    }

    /// The message as a sentence on its own, in the statement's own coordinates.
    package var text: String {
        var text = message
        if namesStart { text += " starting at \(range.line):\(range.column)" }
        if let hint { text += "; \(hint)" }
        return text
    }

    /// Renders the report against `source`, the text the range points into.
    ///
    /// When `source` is one statement of a longer script, `baseLine` and `baseColumn` give the
    /// statement's start in the script so the header names the script position; the caret line
    /// still follows the statement text shown.
    package func render(source: String, origin: String?, baseLine: Int = 1, baseColumn: Int = 1) -> String {
        let line = baseLine + range.line - 1
        let column = range.line == 1 ? baseColumn + range.column - 1 : range.column
        var header = origin.map { "\($0):" } ?? ""
        header += "\(line):\(column): \(severity.rawValue): \(message)"
        if namesStart { header += " starting at \(line):\(column)" }
        if let hint { header += "; \(hint)" }

        let bytes = Array(source.utf8)
        let start = min(max(range.start, 0), bytes.count)
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = start
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        var sourceLine = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        if sourceLine.hasSuffix("\r") { sourceLine.removeLast() }

        var caretLine = ""
        for scalar in String(decoding: bytes[lineStart..<start], as: UTF8.self).unicodeScalars {
            caretLine.append(scalar == "\t" ? "\t" : " ")
        }
        let underlineEnd = min(max(range.end, start), lineEnd)
        let width = String(decoding: bytes[start..<underlineEnd], as: UTF8.self).unicodeScalars.count
        caretLine += "^" + String(repeating: "~", count: max(width - 1, 0))
        return [header, sourceLine, caretLine].joined(separator: "\n")
    }
}
