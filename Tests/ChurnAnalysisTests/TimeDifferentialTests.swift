import ChurnAnalysis
import ChurnGenerator
import ChurnIngest
import ChurnQuery
import Foundation
import Testing

/// TREND and COMPARE against DuckDB queries on the same CSV, in both row orders: every month's
/// rate, the latest value, the change over the window and the weighted slope; each side's
/// measures and their change.
@Suite(.serialized) struct TimeDifferentialTests {
    @Test(arguments: [RowOrder.account, .period])
    func trendAndCompareMatchDuckDB(order: RowOrder) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-timediff-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = directory + "/facts.csv"
        let bytes = FactGenerator(options: GeneratorOptions(rows: 60_000, seed: 23, order: order, plantedShift: true)).bytes()
        #expect(FileManager.default.createFile(atPath: csv, contents: Data(bytes)))
        var options = IngestOptions(cubePath: HotspotStatementTests.root.appendingPathComponent("Cubes/subscriptions.yaml").path)
        options.rowGroupSize = 2_048
        let (cube, _) = try CSVLoader.load(path: csv, options: options)
        let runner = StatementRunner(engine: try QueryEngine(cube: cube))

        // TREND over the last 9 months: DuckDB computes the weighted least squares from sums.
        let trend = try runner.execute("TREND logo_churn_rate WHERE region <> 'latam' BY segment LAST 9 MONTHS")
        let trendSQL = """
            WITH r AS (SELECT segment, period, sum(churned) / count(*) AS rate, count(*) AS w FROM facts WHERE region <> 'latam' GROUP BY ALL),
            last AS (SELECT max(period) AS hi FROM r),
            t AS (SELECT r.*, (CAST(substr(hi, 1, 4) AS INTEGER) * 12 + CAST(substr(hi, 6, 2) AS INTEGER))
                              - (CAST(substr(period, 1, 4) AS INTEGER) * 12 + CAST(substr(period, 6, 2) AS INTEGER)) AS back FROM r, last),
            win AS (SELECT *, 8 - back AS x FROM t WHERE back < 9),
            s AS (SELECT segment, sum(w) AS sw, sum(w * x) AS swx, sum(w * rate) AS swr, sum(w * x * x) AS swxx, sum(w * x * rate) AS swxr,
                         arg_max(rate, x) AS latest, arg_max(rate, x) - arg_min(rate, x) AS change FROM win GROUP BY segment)
            SELECT segment, latest, change, (sw * swxr - swx * swr) / (sw * swxx - swx * swx) AS slope FROM s ORDER BY segment
            """
        let compareSQL = """
            SELECT segment, count(*) FILTER (WHERE period = '2025-06') AS c1, count(*) FILTER (WHERE period = '2025-07') AS c2,
                   sum(churned) FILTER (WHERE period = '2025-06') / count(*) FILTER (WHERE period = '2025-06') AS r1,
                   sum(churned) FILTER (WHERE period = '2025-07') / count(*) FILTER (WHERE period = '2025-07') AS r2
            FROM facts WHERE period IN ('2025-06', '2025-07') GROUP BY segment ORDER BY segment
            """
        let answers = try Self.duckDB(csv: csv, queries: [trendSQL, compareSQL])
        let members = trend.rows.dropFirst()
        #expect(members.count == answers[0].count)
        for (row, expected) in zip(members, answers[0]) {
            #expect(row[0] == .text(expected[0] as! String))
            for (column, index) in [(2, 1), (3, 2), (4, 3)] {
                let mine = row[column].doubleValue ?? .nan, theirs = expected[index] as! Double
                #expect(abs(mine - theirs) <= 1e-9 * max(abs(theirs), 1e-6), "TREND \(row[0]) column \(column): \(mine) vs \(theirs)")
            }
        }

        let compare = try runner.execute("SELECT segment, customers, logo_churn_rate FROM subscriptions GROUP BY segment "
                                         + "COMPARE period = '2025-06' TO period = '2025-07'")
        #expect(compare.rows.count == answers[1].count)
        for (row, expected) in zip(compare.rows, answers[1]) {
            #expect(row[0] == .text(expected[0] as! String))
            #expect(row[1] == .integer(Int64(expected[1] as! Double)) && row[2] == .integer(Int64(expected[2] as! Double)))
            #expect(row[3] == .integer(Int64(expected[2] as! Double) - Int64(expected[1] as! Double)))
            let (r1, r2) = (expected[3] as! Double, expected[4] as! Double)
            #expect(abs((row[5].doubleValue ?? .nan) - r1) < 1e-12 && abs((row[6].doubleValue ?? .nan) - r2) < 1e-12)
            #expect(abs((row[7].doubleValue ?? .nan) - (r2 - r1)) < 1e-12)
        }
    }

    /// Rows of each query as JSON numbers and strings, from DuckDB over the CSV (table `facts`).
    static func duckDB(csv: String, queries: [String]) throws -> [[[Any]]] {
        let script = """
            import json, sys, duckdb
            request = json.load(sys.stdin)
            connection = duckdb.connect()
            connection.execute("CREATE TABLE facts AS SELECT * FROM read_csv(?, header = true, types = {'period': 'VARCHAR', 'cohort': 'VARCHAR'})", [request["csv"]])
            print(json.dumps([[[float(v) if isinstance(v, (int, float)) or type(v).__name__ == "Decimal" else v for v in row]
                               for row in connection.execute(sql).fetchall()] for sql in request["queries"]]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The project's virtual environment (`.ci/setup --test`), else the PATH's Python.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let local = root.appendingPathComponent(".venv/bin/python3").path
        process.arguments = [FileManager.default.isExecutableFile(atPath: local) ? local : "python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: ["csv": csv, "queries": queries]))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let rows = try JSONSerialization.jsonObject(with: data) as? [[[Any]]] else {
            throw CocoaError(.coderReadCorrupt, userInfo: [NSLocalizedDescriptionKey: "the DuckDB oracle failed (is duckdb installed?)"])
        }
        return rows
    }
}
