/// Splits a script or REPL buffer into statements at `;` outside strings, quoted
/// identifiers and comments.
///
/// Blank and comment-only parts are skipped. A `.` where a statement would start begins a
/// dot-command that runs to the end of its line, or to a `;` outside quotes, and needs no `;`.
package enum ScriptSplitter {
    package static func split(_ script: String) -> ScriptSplit {
        var cursor = SourceCursor(Array(script.utf8))
        var units: [ScriptUnit] = []
        var statementStart: SourcePosition?
        var open: ScriptSplit.OpenConstruct?

        func unit(_ kind: ScriptUnit.Kind, from start: SourcePosition, to end: Int) -> ScriptUnit {
            var last = end
            while last > start.offset, cursor.bytes[last - 1].isWhitespace { last -= 1 }
            return ScriptUnit(kind, text: cursor.text(start.offset..<last), offset: start.offset, line: start.line, column: start.column)
        }

        scan: while let byte = cursor.peek() {
            if cursor.peekIs("-"), cursor.peekIs("-", 1) {
                cursor.skipLineComment()
                if cursor.isAtEnd { open = .lineComment }
            } else if cursor.peekIs("/"), cursor.peekIs("*", 1) {
                if !cursor.skipBlockComment() {
                    open = .blockComment
                    break scan
                }
            } else if statementStart == nil {
                if byte.isWhitespace || byte == UInt8(ascii: ";") {
                    cursor.advance()
                } else if byte == UInt8(ascii: ".") {
                    // To the end of the line or a `;` outside quotes, so `.mode csv; SELECT ...` is two units.
                    let start = cursor.position
                    var quote: UInt8?
                    while let next = cursor.peek(), next != UInt8(ascii: "\n") {
                        if let open = quote {
                            if next == open { quote = nil }
                        } else if next == UInt8(ascii: "'") || next == UInt8(ascii: "\"") {
                            quote = next
                        } else if next == UInt8(ascii: ";") {
                            break
                        }
                        cursor.advance()
                    }
                    units.append(unit(.dotCommand, from: start, to: cursor.position.offset))
                } else {
                    statementStart = cursor.position
                }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                let quote = Unicode.Scalar(byte)
                if !cursor.skipQuoted(quote) {
                    open = quote == "'" ? .string : .quotedIdentifier
                    break scan
                }
            } else if byte == UInt8(ascii: ";") {
                if let start = statementStart {
                    units.append(unit(.statement, from: start, to: cursor.position.offset))
                }
                statementStart = nil
                cursor.advance()
            } else {
                cursor.advance()
            }
        }
        let trailing = statementStart.map { unit(.statement, from: $0, to: cursor.bytes.count) }
        return ScriptSplit(units: units, trailing: trailing, openConstruct: open)
    }
}
