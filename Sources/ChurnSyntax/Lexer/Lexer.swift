/// Turns query text into tokens, skipping whitespace and `--` / `/* */` comments.
///
/// Strings are `'single quoted'` with `''` as an escaped quote; identifiers may be
/// `"double quoted"` with `""` likewise. Numbers are integers, decimals (`1.5`, `.5`, `1.`)
/// or carry an exponent (`2e-3`).
package struct Lexer {
    private var cursor: SourceCursor
    /// Where the last token ended: the end-of-input token points here, right after the last
    /// word the user typed rather than at trailing blank lines.
    private var lastTokenEnd = SourcePosition()

    package init(_ text: String) {
        cursor = SourceCursor(Array(text.utf8))
    }

    /// All tokens of `text`, ending with one `.end` token.
    package static func tokenize(_ text: String) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.nextToken()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    package mutating func nextToken() throws(SyntaxError) -> Token {
        try skipTrivia()
        guard let byte = cursor.peek() else {
            let range = SourceRange(
                start: lastTokenEnd.offset, end: lastTokenEnd.offset,
                line: lastTokenEnd.line, column: lastTokenEnd.column)
            return Token(.end, text: "", range: range)
        }
        let start = cursor.position
        let kind: Token.Kind
        if byte.isIdentifierStart {
            while let next = cursor.peek(), next.isIdentifierPart { cursor.advance() }
            kind = .word(cursor.text(start.offset..<cursor.position.offset))
        } else if byte.isASCIIDigit || (byte == UInt8(ascii: ".") && cursor.peek(1)?.isASCIIDigit == true) {
            kind = try lexNumber(from: start)
        } else if byte == UInt8(ascii: "'") {
            kind = .string(try lexQuoted("'", from: start, unterminated: .unterminatedString))
        } else if byte == UInt8(ascii: "\"") {
            let name = try lexQuoted("\"", from: start, unterminated: .unterminatedQuotedIdentifier)
            if name.isEmpty { throw SyntaxError(.emptyQuotedIdentifier, at: cursor.range(from: start)) }
            kind = .quotedIdentifier(name)
        } else {
            kind = try lexSymbol(byte, from: start)
        }
        lastTokenEnd = cursor.position
        let range = cursor.range(from: start)
        return Token(kind, text: cursor.text(range.offsets), range: range)
    }

    // MARK: - Trivia

    private mutating func skipTrivia() throws(SyntaxError) {
        while let byte = cursor.peek() {
            if byte.isWhitespace {
                cursor.advance()
            } else if cursor.peekIs("-"), cursor.peekIs("-", 1) {
                cursor.skipLineComment()
            } else if cursor.peekIs("/"), cursor.peekIs("*", 1) {
                let start = cursor.position
                if !cursor.skipBlockComment() {
                    throw SyntaxError(.unterminatedComment, at: cursor.range(from: start))
                }
            } else {
                return
            }
        }
    }

    // MARK: - Literals

    private mutating func lexNumber(from start: SourcePosition) throws(SyntaxError) -> Token.Kind {
        var isDecimal = false
        while cursor.peek()?.isASCIIDigit == true { cursor.advance() }
        if cursor.peekIs(".") {
            isDecimal = true
            cursor.advance()
            while cursor.peek()?.isASCIIDigit == true { cursor.advance() }
        }
        if cursor.peekIs("e") || cursor.peekIs("E") {
            let signWidth = (cursor.peekIs("+", 1) || cursor.peekIs("-", 1)) ? 1 : 0
            if cursor.peek(1 + signWidth)?.isASCIIDigit == true {
                isDecimal = true
                cursor.advance(by: 1 + signWidth)
                while cursor.peek()?.isASCIIDigit == true { cursor.advance() }
            }
        }
        if let next = cursor.peek(), next.isIdentifierPart || next == UInt8(ascii: ".") {
            while let next = cursor.peek(), next.isIdentifierPart || next == UInt8(ascii: ".") { cursor.advance() }
            let range = cursor.range(from: start)
            throw SyntaxError(.invalidNumber(cursor.text(range.offsets)), at: range)
        }
        let range = cursor.range(from: start)
        let text = cursor.text(range.offsets)
        if isDecimal {
            if let value = Double(text), value.isFinite { return .decimal(value) }
        } else if let value = Int(text) {
            return .integer(value)
        }
        throw SyntaxError(.numberOutOfRange(text), at: range)
    }

    /// The content between quotes with doubled quotes collapsed.
    private mutating func lexQuoted(
        _ quote: Unicode.Scalar, from start: SourcePosition, unterminated: SyntaxError.Reason
    ) throws(SyntaxError) -> String {
        if !cursor.skipQuoted(quote) {
            throw SyntaxError(unterminated, at: cursor.range(from: start))
        }
        let inner = cursor.text(start.offset + 1..<cursor.position.offset - 1)
        let single = String(Character(quote))
        return inner.replacingOccurrences(of: single + single, with: single)
    }

    // MARK: - Symbols

    private mutating func lexSymbol(_ byte: UInt8, from start: SourcePosition) throws(SyntaxError) -> Token.Kind {
        let second = cursor.peek(1)
        let kind: Token.Kind
        var width = 1
        switch UnicodeScalar(byte) {
        case ",": kind = .comma
        case "(": kind = .leftParen
        case ")": kind = .rightParen
        case ";": kind = .semicolon
        case "+": kind = .plus
        case "-": kind = .minus
        case "*": kind = .star
        case "/": kind = .slash
        case "=": kind = .equal
        case "<":
            if second == UInt8(ascii: "=") {
                kind = .lessOrEqual; width = 2
            } else if second == UInt8(ascii: ">") {
                kind = .notEqual; width = 2
            } else {
                kind = .less
            }
        case ">":
            if second == UInt8(ascii: "=") {
                kind = .greaterOrEqual; width = 2
            } else {
                kind = .greater
            }
        case "!" where second == UInt8(ascii: "="):
            kind = .notEqual; width = 2
        default:
            // Take the whole scalar so the message shows a readable character.
            cursor.advance()
            while let next = cursor.peek(), next & 0xC0 == 0x80 { cursor.advance() }
            let range = cursor.range(from: start)
            throw SyntaxError(.invalidCharacter(cursor.text(range.offsets)), at: range)
        }
        cursor.advance(by: width)
        return kind
    }
}

extension String {
    /// Foundation-free replacement of every occurrence of `target`.
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var remainder = self[...]
        while let match = remainder.firstRange(of: target) {
            result += remainder[..<match.lowerBound]
            result += replacement
            remainder = remainder[match.upperBound...]
        }
        result += remainder
        return result
    }
}
