import ChurnModel
import ChurnQuery
import ChurnSyntax

/// Runs parsed statements against the open cube.
struct StatementExecutor {
    let cube: Cube

    init(cube: Cube) {
        self.cube = cube
    }

    func execute(_ statement: Statement, cancellation: Cancellation) throws -> QueryResult {
        throw EngineUnavailable()
    }

    /// The located diagnostic of an error, when it points into the statement text (not at the
    /// synthesized range of errors that have no place, such as cancellation).
    static func diagnostic(of error: any Error) -> Diagnostic? {
        guard let diagnostic = (error as? any LocatedError)?.diagnostic, diagnostic.range != .synthesized else { return nil }
        return diagnostic
    }
}

/// The query engine is not part of this build yet.
struct EngineUnavailable: Error, CustomStringConvertible {
    var description: String { "queries cannot run yet: the query engine is not part of this build" }
}
