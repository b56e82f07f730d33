import ChurnAnalysis
import ChurnModel
import ChurnQuery
import ChurnSyntax

/// Runs parsed statements against the open cube: `SAVE` writes a snapshot here, every other
/// statement goes to the analysis layer's runner (HOTSPOTS) or the query engine.
struct StatementExecutor {
    let engine: QueryEngine
    private let runner: StatementRunner

    init(cube: Cube) throws {
        try self.init(engine: QueryEngine(cube: cube))
    }

    init(engine: QueryEngine) {
        self.engine = engine
        runner = StatementRunner(engine: engine)
    }

    func execute(_ statement: Statement, cancellation: Cancellation) throws -> QueryResult {
        if case let .save(path) = statement.kind {
            if let connection = engine.catalog.connection {
                throw QueryError("SAVE writes the facts held in memory; cube '\(engine.cube.name)' reads them from \(connection.location)",
                                 at: statement.range)
            }
            do {
                try DataOpener.saveSnapshot(engine.cube, to: path)
            } catch let error as LocatedError {
                throw error
            } catch {
                throw QueryError("\(error)", at: statement.range)
            }
            return .message("saved cube '\(engine.cube.name)' to \(path)")
        }
        return try runner.execute(statement, cancellation: cancellation)
    }

    /// The located diagnostic of an error, when it points into the statement text (not at the
    /// synthesized range of errors that have no place, such as cancellation).
    static func diagnostic(of error: any Error) -> Diagnostic? {
        guard let diagnostic = (error as? any LocatedError)?.diagnostic, diagnostic.range != .synthesized else { return nil }
        return diagnostic
    }
}
