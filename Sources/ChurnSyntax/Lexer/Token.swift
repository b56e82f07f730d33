/// One lexical unit of query text with its spelling and place.
package struct Token: Hashable, Sendable {
    /// What the token is; words cover keywords and unquoted identifiers alike.
    package enum Kind: Hashable, Sendable {
        case word(String)
        case quotedIdentifier(String)
        case string(String)
        case integer(Int)
        case decimal(Double)
        case comma, leftParen, rightParen, semicolon
        case plus, minus, star, slash
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        case end
    }

    package var kind: Kind
    /// The token exactly as written in the source.
    package var text: String
    package var range: SourceRange

    package init(_ kind: Kind, text: String, range: SourceRange) {
        self.kind = kind
        self.text = text
        self.range = range
    }

    /// The keyword this word spells, case-insensitively; nil for other tokens.
    package var keyword: Keyword? {
        if case let .word(spelling) = kind { return Keyword(word: spelling) }
        return nil
    }

    /// How error messages name the token: quoted source text, or "end of input".
    var quotedText: String? {
        kind == .end ? nil : "'\(text)'"
    }
}
