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
        ])
    }

    @Test func alertsMatchDuckDBOnOddData() throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.odd(in: directory, seed: 17, accounts: 400, order: .period, csvSeed: 5, sort: "[account_id, period]")
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, cases: [
            ("logins > 200", "2025-03", nil, ["logins"]),
            ("region IS NULL OR mrr_start < 0", nil, nil, ["region"]),
        ])
    }

    private func compare(engine: QueryEngine, csv: String, schema: DifferentialSchema,
                         cases: [(condition: String, month: String?, filter: String?, columns: [String])]) throws {
        let t = schema.table
        var queries: [String] = []
        for item in cases {
            let month = item.month.map { "'\($0)'" } ?? "(SELECT max(period) FROM \(t))"
            let slice = "period = \(month) AND churned = 0" + (item.filter.map { " AND (\($0))" } ?? "")
            let columns = (item.columns + ["mrr_start"]).joined(separator: ", ")
            queries.append("SELECT account_id, \(columns) FROM \(t) WHERE \(slice) AND (\(item.condition)) ORDER BY mrr_start DESC NULLS LAST, account_id NULLS LAST")
            queries.append("SELECT count(DISTINCT account_id), sum(mrr_start) FROM \(t) WHERE \(slice) AND (\(item.condition))")
        }
        let answers = try DuckDBOracle.run(csv: csv, schema: schema, queries: queries)
        for (index, item) in cases.enumerated() {
            let statement = "ALERTS WHEN \(item.condition)" + (item.month.map { " AS OF '\($0)'" } ?? "") + (item.filter.map { " WHERE \($0)" } ?? "")
            let ours = try engine.execute(statement)
            guard case let .rows(theirs) = answers[2 * index], case let .rows(summary) = answers[2 * index + 1] else {
                Issue.record("DuckDB refused: \(answers[2 * index]) \(answers[2 * index + 1])")
                continue
            }
            #expect(ours.rows.count == theirs.count && !theirs.isEmpty, "\(statement): \(ours.rows.count) rows, DuckDB \(theirs.count)")
            let width = item.columns.count + 2
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
        }
    }
}
