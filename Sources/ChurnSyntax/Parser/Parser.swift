/// Entry points of the query language parser: text in, AST out, or a `SyntaxError` saying
/// where and what was expected.
package enum Parser {
    /// Parses one statement; a single trailing `;` is allowed. Split scripts with
    /// `ScriptSplitter` first.
    package static func parseStatement(_ text: String) throws(SyntaxError) -> Statement {
        var session = ParseSession(tokens: try Lexer.tokenize(text))
        if session.current.kind == .end {
            throw SyntaxError(.emptyStatement, at: session.current.range)
        }
        let statement = try session.parseStatement()
        _ = session.accept(.semicolon)
        try session.expectEnd()
        return statement
    }

    /// Parses a standalone expression, such as a measure formula in a cube definition.
    package static func parseExpression(_ text: String) throws(SyntaxError) -> Expression {
        var session = ParseSession(tokens: try Lexer.tokenize(text))
        let expression = try session.parseExpression()
        try session.expectEnd()
        return expression
    }
}
