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
        /// A clause after one it must precede; `form` shows the statement in order.
        case misplacedClause(String, before: String, form: String)
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

    /// The message without the place it names, for the cases whose message names where they start.
    private var baseMessage: String {
        switch reason {
        case .unterminatedString: return "unterminated string"
        case .unterminatedQuotedIdentifier: return "unterminated quoted identifier"
        case .unterminatedComment: return "unterminated block comment"
        default: return message
        }
    }

    /// An unclosed quote or comment swallows the rest of the text; the message names where it opened.
    private var namesStart: Bool {
        switch reason {
        case .unterminatedString, .unterminatedQuotedIdentifier, .unterminatedComment: return true
        default: return false
        }
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
        case .unterminatedString: return "unterminated string starting at \(range)"
        case .unterminatedQuotedIdentifier: return "unterminated quoted identifier starting at \(range)"
        case .unterminatedComment: return "unterminated block comment starting at \(range)"
        case .emptyQuotedIdentifier: return "zero-length quoted identifier"
        case let .invalidCharacter(text): return "unexpected character '\(text)'"
        case let .invalidNumber(text): return "invalid number '\(text)'"
        case let .numberOutOfRange(text): return "number out of range '\(text)'"
        case let .duplicateClause(name): return "duplicate \(name) clause"
        case let .misplacedClause(name, before, form): return "\(name) comes before \(before): \(form)"
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
        Diagnostic(baseMessage, range: range, hint: hint, namesStart: namesStart)
    }

    package var description: String {
        "\(range): \(message)" + (hint.map { "; \($0)" } ?? "")
    }
}
