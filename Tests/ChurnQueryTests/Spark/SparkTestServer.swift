import ChurnModel
import ChurnQuery
import ChurnSpark
import Foundation
import Testing

/// The Spark Connect server the integration tests run against: `SPARK_CONNECT_URL`, which
/// `.ci/test` sets after starting one. Outside it the tests are skipped, saying why; with
/// `CHURNCUBE_REQUIRE_SPARK` set (as `.ci/test` sets it) they run and fail without a server.
enum SparkTestServer {
    static let environment = ProcessInfo.processInfo.environment
    static var url: String? { environment["SPARK_CONNECT_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var isRequired: Bool { environment["CHURNCUBE_REQUIRE_SPARK"] == "1" }
    static var isEnabled: Bool { isRequired || (url != nil && SparkConnection.isAvailable) }
    static let skipReason: Comment = "needs a Spark Connect server: run .ci/test, or build with --traits Spark and set SPARK_CONNECT_URL"

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// A connection whose session holds `view` over the CSV at `csvPath` (a file, or a directory
    /// of files with the same header), typed by `definition`.
    static func connection(view: String, csvPath: String, definition: CubeDefinition, url: String? = url) throws -> any SQLConnection {
        guard let url else { throw Unavailable(description: "SPARK_CONNECT_URL is not set") }
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

/// `CREATE TEMPORARY VIEW ... USING csv` over a CSV file the server can read, its columns typed
/// as the cube declares them (money as decimals, so sums stay exact), in the file's header order.
/// For a directory, the header is that of its first CSV file.
enum SparkCSVView {
    static func statement(view: String, csvPath: String, definition: CubeDefinition) throws -> String {
        var isDirectory: ObjCBool = false
        var headerPath = csvPath
        if FileManager.default.fileExists(atPath: csvPath, isDirectory: &isDirectory), isDirectory.boolValue {
            let files = try FileManager.default.contentsOfDirectory(atPath: csvPath).filter { $0.hasSuffix(".csv") }.sorted()
            guard let first = files.first else { throw SparkTestServer.Unavailable(description: "\(csvPath): no CSV file in it") }
            headerPath = csvPath + "/" + first
        }
        guard let handle = FileHandle(forReadingAtPath: headerPath) else { throw SparkTestServer.Unavailable(description: "\(headerPath): cannot read") }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 1 << 16), as: UTF8.self)
        guard let line = head.split(separator: "\n", maxSplits: 1).first else { throw SparkTestServer.Unavailable(description: "\(headerPath): empty") }
        let dialect = SQLDialect.spark
        let columns = line.split(separator: ",", omittingEmptySubsequences: false).map { raw -> String in
            let name = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r\""))
            let type: String
            switch definition.fact(named: name)?.kind {
            case .money?: type = "DECIMAL(19, 2)"
            case .integer?, .flag?: type = "BIGINT"
            case .double?: type = "DOUBLE"
            case nil: type = "STRING"
            }
            return "\(dialect.identifier(name)) \(type)"
        }
        return "CREATE OR REPLACE TEMPORARY VIEW \(dialect.identifier(view)) (\(columns.joined(separator: ", "))) USING csv "
            + "OPTIONS (path \(dialect.string(csvPath)), header 'true', escape '\"', multiLine 'true', mode 'FAILFAST')"
    }
}

/// Runs `body` on a thread of its own and awaits it. The Spark client blocks its caller while
/// its own tasks talk to the server, so it must not be called from a thread of Swift's
/// cooperative pool, which test functions run on (and which has one thread per core).
func offCooperativePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
