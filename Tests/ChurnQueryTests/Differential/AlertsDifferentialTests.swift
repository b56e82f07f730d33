import ChurnGenerator
import ChurnQuery
import Foundation
import Testing

/// ALERTS lists exactly the accounts DuckDB's query with the same condition returns, in the same
/// order, with the same values and summary, in both row orders and on the odd data set.
@Suite(.serialized) struct AlertsDifferentialTests {
    @Test(arguments: [RowOrder.account, .period])
    func alertsMatchDuckDB(order: RowOrder) throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.generated(in: directory, rows: 15_000, seed: 21, order: order, rowGroupSize: 1_000)
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, cases: [
            ("renewal_due = 1 AND days_since_exec_contact > 15", "2025-06", nil, ["renewal_due", "days_since_exec_contact"]),
            ("health = 'red' OR nps < 3", nil, "segment = 'smb'", ["health", "nps"]),
            ("logins < 0.75 * avg_previous(logins, 3) AND days_since_user_contact > 30", "2025-09", nil,
             ["logins", "avg_previous(logins, 3)", "days_since_user_contact"]),
            ("mrr_start > previous(mrr_start, 1) OR nps < previous(nps, 2)", nil, nil,
             ["mrr_start", "previous(mrr_start, 1)", "nps", "previous(nps, 2)"]),
        ])
    }

    @Test func alertsMatchDuckDBOnOddData() throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.odd(in: directory, seed: 17, accounts: 400, order: .period, csvSeed: 5, sort: "[account_id, period]")
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, cases: [
            ("logins > 200", "2025-03", nil, ["logins"]),
            ("region IS NULL OR mrr_start < 0", nil, nil, ["region"]),
            ("logins >= avg_previous(logins, 2) OR previous(mrr_start, 1) IS NULL", "2025-04", nil,
             ["logins", "avg_previous(logins, 2)", "previous(mrr_start, 1)"]),
        ])
    }

    /// Unclustered storage (the input's order) takes the sorting path of the history columns.
    @Test func alertsWithHistoryMatchDuckDBOnUnsortedOddData() throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.odd(in: directory, seed: 23, accounts: 300, order: .period, csvSeed: 8, sort: "none")
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, cases: [
            ("logins < avg_previous(logins, 3) AND previous(logins, 1) > 0", nil, nil, ["logins", "avg_previous(logins, 3)", "previous(logins, 1)"]),
            ("avg_previous(mrr_start, 4) > 100", "2025-05", "segment IS NOT NULL", ["avg_previous(mrr_start, 4)"]),
        ])
    }

    /// History columns over every month of enough rows that they are computed in parallel
    /// segments, summed per segment against DuckDB.
    @Test func historyColumnsMatchDuckDBOverManyAccounts() throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.generated(in: directory, rows: 120_000, seed: 31, order: .period, rowGroupSize: 4_096)
        let calls = "previous(logins, 1), avg_previous(logins, 3), previous(mrr_start, 2), avg_previous(mrr_start, 6)"
        let history = HistorySQL(condition: calls)
        let (prefix, source) = history.with(oracle.schema.table)
        let sums = ["previous(logins, 1)", "avg_previous(logins, 3)", "previous(mrr_start, 2)", "avg_previous(mrr_start, 6)"]
        let ours = try oracle.engine.execute("SELECT segment, " + sums.map { "COUNT(\($0)), SUM(\($0))" }.joined(separator: ", ")
                                             + " FROM subscriptions GROUP BY segment ORDER BY segment")
        let answers = try DuckDBOracle.run(csv: oracle.csv, schema: oracle.schema, queries: [
            prefix + "SELECT segment, " + sums.map { "count(\"\($0)\"), sum(\"\($0)\")" }.joined(separator: ", ")
                + " FROM \(source) GROUP BY segment ORDER BY segment NULLS LAST",
        ])
        guard case let .rows(theirs) = answers[0] else {
            Issue.record("DuckDB refused: \(answers[0])")
            return
        }
        #expect(ours.rows.count == theirs.count && theirs.count >= 3)
        for (row, expected) in zip(ours.rows, theirs) {
            let values = row.map(OracleValue.init)
            #expect(zip(values, expected).allSatisfy { $0.matches($1) }, "\(values) vs DuckDB \(expected)")
        }
    }

    private func compare(engine: QueryEngine, csv: String, schema: DifferentialSchema,
                         cases: [(condition: String, month: String?, filter: String?, columns: [String])]) throws {
        let t = schema.table
        var queries: [String] = []
        for item in cases {
            let history = HistorySQL(condition: item.condition)
            let (prefix, source) = history.with(t)
            let condition = history.rewrite(item.condition)
            let month = item.month.map { "'\($0)'" } ?? "(SELECT max(period) FROM \(t))"
            let slice = "period = \(month) AND churned = 0" + (item.filter.map { " AND (\($0))" } ?? "")
            let columns = (item.columns.filter { $0 != "mrr_start" }.map(history.rewrite) + ["mrr_start"]).joined(separator: ", ")
            queries.append(prefix + "SELECT account_id, \(columns) FROM \(source) WHERE \(slice) AND (\(condition)) ORDER BY mrr_start DESC NULLS LAST, account_id NULLS LAST")
            queries.append(prefix + "SELECT count(DISTINCT account_id), sum(mrr_start) FROM \(source) WHERE \(slice) AND (\(condition))")
            queries.append(prefix + "SELECT sum(mrr_start) FROM \(source) WHERE \(slice)")
        }
        let answers = try DuckDBOracle.run(csv: csv, schema: schema, queries: queries)
        for (index, item) in cases.enumerated() {
            let statement = "ALERTS WHEN \(item.condition)" + (item.month.map { " AS OF '\($0)'" } ?? "") + (item.filter.map { " WHERE \($0)" } ?? "")
            let ours = try engine.execute(statement)
            guard case let .rows(theirs) = answers[3 * index], case let .rows(summary) = answers[3 * index + 1],
                  case let .rows(month) = answers[3 * index + 2] else {
                Issue.record("DuckDB refused: \(answers[3 * index]) \(answers[3 * index + 1]) \(answers[3 * index + 2])")
                continue
            }
            #expect(ours.rows.count == theirs.count && !theirs.isEmpty, "\(statement): \(ours.rows.count) rows, DuckDB \(theirs.count)")
            let width = item.columns.filter { $0 != "mrr_start" }.count + 2
            for (row, expected) in zip(ours.rows, theirs) {
                let values = row.prefix(width).map(OracleValue.init)
                guard zip(values, expected).allSatisfy({ $0.matches($1) }) else {
                    Issue.record("\(statement): \(values) vs DuckDB \(expected)")
                    break
                }
            }
            let flagged = ours.details.first { $0.name == "accounts_flagged" }.map { OracleValue($0.value) } ?? .null
            let risk = ours.details.first { $0.name == "mrr_at_risk" }.map { OracleValue($0.value) } ?? .null
            #expect(flagged.matches(summary[0][0]) && risk.matches(summary[0][1]), "\(statement): \(flagged), \(risk) vs \(summary[0])")
            // The MRR of every active account of the month in the slice, flagged or not.
            let whole = ours.details.first { $0.name == "mrr_of_month" }.map { OracleValue($0.value) } ?? .null
            #expect(whole.matches(month[0][0]), "\(statement): MRR of the month \(whole) vs DuckDB \(month[0])")
        }
    }
}
