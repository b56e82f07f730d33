/// A lexing or parsing failure: what went wrong, where, what the parser expected, and
/// optionally a hint such as a keyword the user probably meant.
package struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, with the text needed to explain it.
    package enum Reason: Hashable, Sendable {
        /// `found` is the offending token as written, or nil at the end of the input.
        case expected(String, after: String?, found: String?)
        case unexpected(String)
        case unterminatedString
        case unterminatedQuotedIdentifier
        case unterminatedComment
        case emptyQuotedIdentifier
        case invalidCharacter(String)
        case invalidNumber(String)
        case numberOutOfRange(String)
        case duplicateClause(String)
        case emptyStatement
        /// Parentheses, calls, CASE, NOT or unary minus nested past the parser's limit.
        case nestingTooDeep(limit: Int)
    }

    package var reason: Reason
    package var range: SourceRange
    package var hint: String?

    package init(_ reason: Reason, at range: SourceRange, hint: String? = nil) {
        self.reason = reason
        self.range = range
        self.hint = hint
    }

    package var message: String {
        switch reason {
        case let .expected(what, after, found):
            var text = "expected \(what)"
            if let after { text += " after '\(after)'" }
            if let found {
                text += ", found \(found)"
            } else if after == nil {
                text += ", found end of input"
            }
            return text
        case let .unexpected(found): return "unexpected \(found)"
        case .unterminatedString: return "unterminated string literal"
        case .unterminatedQuotedIdentifier: return "unterminated quoted identifier"
        case .unterminatedComment: return "unterminated block comment"
        case .emptyQuotedIdentifier: return "zero-length quoted identifier"
        case let .invalidCharacter(text): return "unexpected character '\(text)'"
        case let .invalidNumber(text): return "invalid number '\(text)'"
        case let .numberOutOfRange(text): return "number out of range '\(text)'"
        case let .duplicateClause(name): return "duplicate \(name) clause"
        case .emptyStatement: return "expected a statement, found end of input"
        case let .nestingTooDeep(limit): return "nesting deeper than \(limit) levels"
        }
    }

    /// What the parser was looking for, when the failure is a mismatch.
    package var expected: String? {
        if case let .expected(what, _, _) = reason { return what }
        return nil
    }

    package var diagnostic: Diagnostic {
        Diagnostic(message, range: range, hint: hint)
    }

    package var description: String {
        "\(range): \(message)" + (hint.map { "; \($0)" } ?? "")
    }
}
