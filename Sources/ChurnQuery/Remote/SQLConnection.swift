import ChurnArrow

/// A SQL engine holding a cube's facts in one table, reached over the network (Spark Connect):
/// the query engine sends it SQL and reads the answer as Arrow.
package protocol SQLConnection: AnyObject, Sendable {
    var dialect: SQLDialect { get }
    /// The facts' table, as the user named it (`facts`, `db.facts`).
    var table: String { get }
    /// Where the engine is, for DESCRIBE and errors: `Spark 4.3.0 at sc://127.0.0.1:15002`.
    var location: String { get }
    /// Reports how far the statement running now has got.
    var progress: RemoteProgress { get }
    /// Runs one statement to its end; throws when the engine fails, the connection is lost or
    /// `cancellation` is raised (the engine's operation is interrupted then).
    func run(_ sql: String, cancellation: Cancellation) throws -> ArrowStream
}
