import Foundation

/// DuckDB's answers to a batch of queries over a CSV, from `Oracle/duckdb_oracle.py`: per
/// query its rows, or the error DuckDB gave.
enum DuckDBOracle {
    enum Answer {
        case rows([[OracleValue]])
        case error(String)
    }

    static func run(csv: String, schema: DifferentialSchema, queries: [String]) throws -> [Answer] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [PackagePaths.python, PackagePaths.path("Tests/ChurnQueryTests/Oracle/duckdb_oracle.py")]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let request: [String: Any] = [
            "csv": csv, "table": schema.table, "types": schema.duckDBTypes, "queries": queries,
            "levels": Dictionary(uniqueKeysWithValues: schema.levels.map { ($0.name, $0.duckDB) }),
        ]
        // Written from another thread while this one reads, so neither pipe fills up.
        let data = try JSONSerialization.data(withJSONObject: request)
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        nonisolated(unsafe) var errorData = Data()
        let errorReader = Thread { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
        errorReader.start()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !writer.isFinished || !errorReader.isFinished { Thread.sleep(forTimeInterval: 0.005) }
        guard process.terminationStatus == 0, let results = try JSONSerialization.jsonObject(with: answer) as? [[String: Any]] else {
            throw OracleFailure(message: "DuckDB oracle failed (is the duckdb Python package installed? .ci/setup --test installs it): "
                                + String(decoding: errorData, as: UTF8.self))
        }
        return results.map { result in
            if let error = result["error"] as? String { return .error(error) }
            return .rows((result["rows"] as? [[Any]] ?? []).map { $0.map(OracleValue.init(oracle:)) })
        }
    }
}

struct OracleFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
