import ChurnModel
import ChurnQuery
import ChurnSpark
import Foundation
import SparkTestSupport
import Testing

/// The Spark Connect server the integration tests run against (`SparkTestEnvironment`), and
/// cubes opened on it over CSV files.
enum SparkTestServer {
    static var url: String? { SparkTestEnvironment.url }
    static var isEnabled: Bool { SparkTestEnvironment.isEnabled }
    static let skipReason = Comment(rawValue: SparkTestEnvironment.skipReason)

    /// A connection whose session holds `view` over the CSV at `csvPath` (a file, or a directory
    /// of files with the same header), typed by `definition`.
    static func connection(view: String, csvPath: String, definition: CubeDefinition, url: String? = url) throws -> any SQLConnection {
        guard let url else { throw SparkTestUnavailable("SPARK_CONNECT_URL is not set") }
        let connection = try SparkConnection.open(url: url, table: view)
        _ = try connection.run(try SparkCSVView.statement(view: view, csvPath: csvPath, definition: definition), cancellation: .never)
        return connection
    }

    /// The cube over `csvPath` on the server, opened as a user opens one.
    static func engine(view: String, csvPath: String, definition: CubeDefinition, url: String? = url) throws -> QueryEngine {
        let connection = try connection(view: view, csvPath: csvPath, definition: definition, url: url)
        return try RemoteCubeOpener(definition: definition, connection: connection).open().engine
    }
}
