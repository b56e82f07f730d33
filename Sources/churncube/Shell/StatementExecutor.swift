import ChurnAnalysis
import ChurnModel
import ChurnQuery
import ChurnSyntax

/// Runs parsed statements against the open cube on the query engine; `SAVE` writes a snapshot
/// when this build has them.
struct StatementExecutor {
    let engine: QueryEngine

    init(cube: Cube) throws {
        engine = try QueryEngine(cube: cube)
        engine.saveHandler = { cube, path in
            try DataOpener.saveSnapshot(cube, to: path)
            return "saved cube '\(cube.name)' to \(path)"
        }
        engine.hotspotHandler = { statement, engine, cancellation, explain in
            try HotspotQuery.run(statement, engine: engine, cancellation: cancellation, explain: explain)
        }
    }

    func execute(_ statement: Statement, cancellation: Cancellation) throws -> QueryResult {
        try engine.execute(statement, cancellation: cancellation)
    }

    /// The located diagnostic of an error, when it points into the statement text (not at the
    /// synthesized range of errors that have no place, such as cancellation).
    static func diagnostic(of error: any Error) -> Diagnostic? {
        guard let diagnostic = (error as? any LocatedError)?.diagnostic, diagnostic.range != .synthesized else { return nil }
        return diagnostic
    }
}
