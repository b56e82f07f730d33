import ChurnModel
import ChurnQuery
import Foundation

/// `CREATE TEMPORARY VIEW ... USING csv` over a CSV file the server can read, its columns typed
/// as the cube declares them (money as decimals, so sums stay exact), in the file's header order.
/// For a directory, the header is that of its first CSV file. `persistent` makes it a table of
/// the server's catalog instead, which every session sees (a temporary view lives in one).
package enum SparkCSVView {
    package static func statement(view: String, csvPath: String, definition: CubeDefinition, persistent: Bool = false) throws -> String {
        var isDirectory: ObjCBool = false
        var headerPath = csvPath
        if FileManager.default.fileExists(atPath: csvPath, isDirectory: &isDirectory), isDirectory.boolValue {
            let files = try FileManager.default.contentsOfDirectory(atPath: csvPath).filter { $0.hasSuffix(".csv") }.sorted()
            guard let first = files.first else { throw SparkTestUnavailable("\(csvPath): no CSV file in it") }
            headerPath = csvPath + "/" + first
        }
        guard let handle = FileHandle(forReadingAtPath: headerPath) else { throw SparkTestUnavailable("\(headerPath): cannot read") }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 1 << 16), as: UTF8.self)
        guard let line = head.split(separator: "\n", maxSplits: 1).first else { throw SparkTestUnavailable("\(headerPath): empty") }
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
        let create = persistent ? "CREATE TABLE" : "CREATE OR REPLACE TEMPORARY VIEW"
        return "\(create) \(dialect.identifier(view)) (\(columns.joined(separator: ", "))) USING csv "
            + "OPTIONS (path \(dialect.string(csvPath)), header 'true', escape '\"', multiLine 'true', mode 'FAILFAST')"
    }
}
