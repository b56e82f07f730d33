import ChurnSyntax

/// An error that points at a place in the statement text.
package protocol LocatedError: Error, CustomStringConvertible {
    var diagnostic: Diagnostic { get }
}

/// Why a statement cannot run: unknown names, type errors, unsupported forms, cancellation.
package struct QueryError: LocatedError, Equatable {
    package var diagnostic: Diagnostic

    package init(_ message: String, at range: SourceRange, hint: String? = nil) {
        diagnostic = Diagnostic(message, range: range, hint: hint)
    }

    package var description: String {
        diagnostic.hint.map { "\(diagnostic.message); \($0)" } ?? diagnostic.message
    }

    package static let cancelled = QueryError("query cancelled", at: .synthesized)

    /// Data that failed to decode during the scan (a damaged snapshot chunk).
    package static func storage(_ error: Error) -> QueryError {
        QueryError("\(error)", at: .synthesized)
    }
}

extension SyntaxError: LocatedError {}
