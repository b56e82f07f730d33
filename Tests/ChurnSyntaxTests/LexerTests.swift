import Testing
@testable import ChurnSyntax

@Suite struct LexerTests {
    private func kinds(_ text: String) throws -> [Token.Kind] {
        try Lexer.tokenize(text).map(\.kind)
    }

    @Test func lexesWordsSymbolsAndLiterals() throws {
        #expect(try kinds("select a,\"Odd Name\" from t where x <> 'it''s' and y != 2.5e1 -- tail") == [
            .word("select"), .word("a"), .comma, .quotedIdentifier("Odd Name"), .word("from"), .word("t"),
            .word("where"), .word("x"), .notEqual, .string("it's"), .word("and"), .word("y"), .notEqual,
            .decimal(25), .end,
        ])
    }

    @Test func lexesNumbers() throws {
        #expect(try kinds("42 1.5 .5 1. 2e3 2E-3 1e+2") == [
            .integer(42), .decimal(1.5), .decimal(0.5), .decimal(1), .decimal(2000), .decimal(0.002), .decimal(100), .end,
        ])
    }

    @Test func lexesOperators() throws {
        #expect(try kinds("<= >= < > = + - * / ( ) ;") == [
            .lessOrEqual, .greaterOrEqual, .less, .greater, .equal, .plus, .minus, .star, .slash,
            .leftParen, .rightParen, .semicolon, .end,
        ])
    }

    @Test func skipsBlockCommentsAndTracksLines() throws {
        let tokens = try Lexer.tokenize("/* one\ntwo */ SELECT\n  région")
        #expect(tokens.map(\.kind) == [.word("SELECT"), .word("région"), .end])
        #expect(tokens[0].range == SourceRange(start: 14, end: 20, line: 2, column: 8))
        #expect(tokens[1].range == SourceRange(start: 23, end: 30, line: 3, column: 3))
        // End of input sits right after the last token.
        #expect(tokens[2].range == SourceRange(start: 30, end: 30, line: 3, column: 9))
    }

    @Test func keywordsAreCaseInsensitive() throws {
        let tokens = try Lexer.tokenize("SeLeCt hotspots region")
        #expect(tokens.map(\.keyword) == [.select, .hotspots, nil, nil])
        #expect(Keyword.select.isReserved && !Keyword.hotspots.isReserved)
    }

    @Test func reportsUnterminatedString() {
        #expect(throws: SyntaxError(.unterminatedString, at: SourceRange(start: 10, end: 14, line: 1, column: 11))) {
            _ = try Lexer.tokenize("WHERE x = 'abc")
        }
    }

    @Test func reportsOtherLexicalErrors() {
        #expect(throws: SyntaxError(.unterminatedComment, at: SourceRange(start: 2, end: 6, line: 1, column: 3))) {
            _ = try Lexer.tokenize("a /* b")
        }
        #expect(throws: SyntaxError(.unterminatedQuotedIdentifier, at: SourceRange(start: 0, end: 3, line: 1, column: 1))) {
            _ = try Lexer.tokenize("\"ab")
        }
        #expect(throws: SyntaxError(.invalidCharacter("#"), at: SourceRange(start: 2, end: 3, line: 1, column: 3))) {
            _ = try Lexer.tokenize("a #")
        }
        #expect(throws: SyntaxError(.invalidNumber("12abc"), at: SourceRange(start: 0, end: 5, line: 1, column: 1))) {
            _ = try Lexer.tokenize("12abc")
        }
        #expect(throws: SyntaxError(.numberOutOfRange("99999999999999999999"), at: SourceRange(start: 0, end: 20, line: 1, column: 1))) {
            _ = try Lexer.tokenize("99999999999999999999")
        }
        #expect(throws: SyntaxError(.emptyQuotedIdentifier, at: SourceRange(start: 0, end: 2, line: 1, column: 1))) {
            _ = try Lexer.tokenize("\"\"")
        }
    }
}
