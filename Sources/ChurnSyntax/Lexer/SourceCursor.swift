/// A position in UTF-8 text: byte offset plus 1-based line and column (in Unicode scalars).
struct SourcePosition: Hashable, Sendable {
    var offset = 0
    var line = 1
    var column = 1
}

/// Walks UTF-8 bytes keeping line and column current; shared by the lexer and the script
/// splitter so both agree on positions.
struct SourceCursor {
    let bytes: [UInt8]
    private(set) var position = SourcePosition()

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position.offset >= bytes.count }

    func peek(_ ahead: Int = 0) -> UInt8? {
        let index = position.offset + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    func peekIs(_ ascii: Unicode.Scalar, _ ahead: Int = 0) -> Bool {
        peek(ahead) == UInt8(ascii: ascii)
    }

    mutating func advance() {
        guard let byte = peek() else { return }
        position.offset += 1
        if byte == UInt8(ascii: "\n") {
            position.line += 1
            position.column = 1
        } else if byte & 0xC0 != 0x80 {
            // A continuation byte belongs to the scalar already counted.
            position.column += 1
        }
    }

    mutating func advance(by count: Int) {
        for _ in 0..<count { advance() }
    }

    /// Skips a `--` comment up to, not including, the newline.
    mutating func skipLineComment() {
        while let byte = peek(), byte != UInt8(ascii: "\n") { advance() }
    }

    /// Skips a `/* */` comment whose opening is at the cursor; false if it never closes.
    mutating func skipBlockComment() -> Bool {
        advance(by: 2)
        while !isAtEnd {
            if peekIs("*"), peekIs("/", 1) {
                advance(by: 2)
                return true
            }
            advance()
        }
        return false
    }

    /// Skips text quoted by `quote` (doubled inside to escape it) whose opening is at the
    /// cursor; false if it never closes.
    mutating func skipQuoted(_ quote: Unicode.Scalar) -> Bool {
        advance()
        while !isAtEnd {
            if peekIs(quote) {
                advance()
                if !peekIs(quote) { return true }
            }
            advance()
        }
        return false
    }

    func range(from start: SourcePosition) -> SourceRange {
        SourceRange(start: start.offset, end: position.offset, line: start.line, column: start.column)
    }

    func text(_ offsets: Range<Int>) -> String {
        String(decoding: bytes[offsets], as: UTF8.self)
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    var isIdentifierStart: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || self == UInt8(ascii: "_") || self >= 0x80
    }

    var isIdentifierPart: Bool { isIdentifierStart || isASCIIDigit }

    var isWhitespace: Bool {
        self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D || self == 0x0C || self == 0x0B
    }
}
