/// Classifies the cursor position of a partly typed buffer for tab completion.
///
/// Heuristic by design: it looks at the tokens of the current statement rather than parsing,
/// so it works on text that is not yet valid. What may come next follows from the statement,
/// its clause at the cursor and the last token (`CompletionAnalyzer+Expectation.swift`).
package enum CompletionAnalyzer {
    /// `text` is everything before the cursor, possibly several statements.
    package static func context(before text: String) -> CompletionContext {
        let bytes = Array(text.utf8)
        let split = ScriptSplitter.split(text)
        if split.openConstruct == .blockComment || split.openConstruct == .lineComment {
            return CompletionContext(.nothing, partialOffset: bytes.count)
        }
        guard let statement = split.trailing else {
            if let last = split.units.last, last.kind == .dotCommand,
               !bytes[last.offset...].contains(UInt8(ascii: "\n")) {
                let partialStart = (bytes.lastIndex(where: \.isWhitespace) ?? last.offset - 1) + 1
                let partial = String(decoding: bytes[max(partialStart, last.offset)...], as: UTF8.self)
                return CompletionContext(.dotCommand, partial: partial, partialOffset: max(partialStart, last.offset))
            }
            return CompletionContext(.keywords(statementStarts), partialOffset: bytes.count)
        }
        let base = statement.offset
        let tail = String(decoding: bytes[base...], as: UTF8.self)
        var (tokens, openQuote) = lenientTokens(tail)

        var partial = ""
        var partialOffset = bytes.count
        var isQuoted = false
        if let openQuote {
            isQuoted = true
            partialOffset = base + openQuote.offset
            partial = openQuote.content
        } else if let last = tokens.last, last.range.end == tail.utf8.count {
            switch last.kind {
            case let .word(spelling):
                partial = spelling
                partialOffset = base + last.range.start
                tokens.removeLast()
            case .integer, .decimal:
                partial = last.text
                partialOffset = base + last.range.start
                tokens.removeLast()
            default:
                break
            }
        }
        return CompletionContext(expectation(after: tokens), partial: partial, partialOffset: partialOffset, isQuoted: isQuoted)
    }

    // MARK: - Tokens before the cursor

    /// Tokens of `text` without `.end`; an unterminated string or quoted identifier at the end
    /// is returned as the open quote's offset and content so far.
    private static func lenientTokens(_ text: String) -> ([Token], (offset: Int, content: String)?) {
        do {
            var tokens = try Lexer.tokenize(text)
            tokens.removeLast()
            return (tokens, nil)
        } catch {
            let bytes = Array(text.utf8)
            let start = min(error.range.start, bytes.count)
            let before = String(decoding: bytes[..<start], as: UTF8.self)
            let (tokens, _) = lenientTokens(before)
            switch error.reason {
            case .unterminatedString, .unterminatedQuotedIdentifier:
                let quote = bytes[start]
                let content = String(decoding: bytes[(start + 1)...], as: UTF8.self)
                let single = String(UnicodeScalar(quote))
                return (tokens, (start, content.replacingOccurrences(of: single + single, with: single)))
            default:
                return (tokens, nil)
            }
        }
    }
}
