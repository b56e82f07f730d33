import ChurnGenerator
import ChurnQuery
import Foundation
import Testing

/// BACKTEST against the same definitions written as SQL on DuckDB (an EXISTS over each
/// account's churn months), in both row orders and on the odd data set: every count, rate, lift,
/// recall and MRR, per period and in total.
@Suite(.serialized) struct BacktestDifferentialTests {
    struct Case {
        var condition: String
        var horizon: Int
        var filter: String?
        var by: String?
    }

    @Test(arguments: [RowOrder.account, .period])
    func backtestMatchesDuckDB(order: RowOrder) throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.generated(in: directory, rows: 15_000, seed: 9, order: order, rowGroupSize: 1_000)
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, cases: [
            Case(condition: "health = 'red'", horizon: 3, filter: nil, by: nil),
            Case(condition: "renewal_due = 1 AND days_since_exec_contact > 15", horizon: 2, filter: "region <> 'latam'", by: "segment"),
            Case(condition: "nps > 8", horizon: 1, filter: nil, by: nil),
            Case(condition: "logins < 0.75 * avg_previous(logins, 3) AND days_since_user_contact > 30", horizon: 3, filter: nil, by: nil),
            Case(condition: "mrr_start < previous(mrr_start, 2)", horizon: 2, filter: "region <> 'apac'", by: "segment"),
        ])
    }

    @Test func backtestMatchesDuckDBOnOddData() throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.odd(in: directory, seed: 4, accounts: 400, order: .period, csvSeed: 6, sort: "none")
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, cases: [
            Case(condition: "logins > 200", horizon: 2, filter: nil, by: "region"),
            Case(condition: "nps < 5 OR mrr_start < 10", horizon: 4, filter: "segment IS NOT NULL", by: nil),
            Case(condition: "logins > avg_previous(logins, 2) OR previous(nps, 1) IS NULL", horizon: 2, filter: nil, by: "region"),
        ])
    }

    private func compare(engine: QueryEngine, csv: String, schema: DifferentialSchema, cases: [Case]) throws {
        let answers = try DuckDBOracle.run(csv: csv, schema: schema, queries: cases.map { Self.sql($0, table: schema.table) })
        for (index, item) in cases.enumerated() {
            let statement = "BACKTEST WHEN \(item.condition) HORIZON \(item.horizon)" + (item.filter.map { " WHERE \($0)" } ?? "")
                + (item.by.map { " BY \($0)" } ?? "")
            let ours = try engine.execute(statement)
            guard case let .rows(theirs) = answers[index] else {
                Issue.record("DuckDB refused the oracle query of \(statement): \(answers[index])")
                continue
            }
            // Ours also has the overall total after the members' totals with BY; DuckDB's rows are
            // the periods and each member's total.
            let mine = ours.rows.filter { item.by == nil || $0[1] != .subtotal }
            #expect(mine.count == theirs.count, "\(statement): \(mine.count) rows, DuckDB \(theirs.count)")
            #expect(!mine.isEmpty)
            let width = item.by == nil ? 8 : 9
            for (row, expected) in zip(mine, theirs) {
                let values = row.prefix(width).map(OracleValue.init)
                guard zip(values, expected).allSatisfy({ $0.matches($1) }) else {
                    Issue.record("\(statement): \(values) vs DuckDB \(expected)")
                    break
                }
            }
        }
    }

    static func sql(_ item: Case, table: String) -> String {
        func month(_ column: String) -> String { "(CAST(substr(\(column), 1, 4) AS INTEGER) * 12 + CAST(substr(\(column), 6, 2) AS INTEGER))" }
        let member = item.by.map { "\($0), " } ?? ""
        let groupKeys = item.by.map { "ROLLUP(period), \($0)" } ?? "ROLLUP(period)"
        let order = item.by.map { "\($0) NULLS LAST, period NULLS LAST" } ?? "period NULLS LAST"
        let history = HistorySQL(condition: item.condition)
        let source = history.ctes(table) == nil ? table : "hx"
        return """
        WITH \(history.ctes(table).map { $0 + "," } ?? "")
        c AS (SELECT DISTINCT account_id, \(month("period")) AS cm FROM \(table)
                   WHERE churned = 1 AND account_id IS NOT NULL AND period IS NOT NULL),
        b AS (SELECT max(\(month("period"))) AS hi FROM \(table)),
        e AS (SELECT t.*, \(month("t.period")) AS m, coalesce(\(history.rewrite(item.condition)), false) AS is_flagged FROM \(source) t, b
              WHERE t.churned = 0 AND t.account_id IS NOT NULL AND t.period IS NOT NULL AND (\(item.filter ?? "TRUE"))
                AND \(month("t.period")) + \(item.horizon) <= b.hi),
        o AS (SELECT e.*, EXISTS (SELECT 1 FROM c WHERE c.account_id = e.account_id AND c.cm > e.m AND c.cm <= e.m + \(item.horizon)) AS outcome
              FROM e)
        SELECT period, \(member)count(*) AS evaluated, count(*) FILTER (WHERE is_flagged) AS flagged,
               (count(*) FILTER (WHERE is_flagged AND outcome)) / nullif(count(*) FILTER (WHERE is_flagged), 0) AS precision,
               (count(*) FILTER (WHERE outcome)) / count(*) AS base_rate,
               ((count(*) FILTER (WHERE is_flagged AND outcome)) / nullif(count(*) FILTER (WHERE is_flagged), 0))
                 / nullif((count(*) FILTER (WHERE outcome)) / count(*), 0) AS lift,
               (count(*) FILTER (WHERE is_flagged AND outcome)) / nullif(count(*) FILTER (WHERE outcome), 0) AS recall,
               coalesce(sum(mrr_start) FILTER (WHERE is_flagged AND outcome), 0) AS mrr_flagged_churned
        FROM o GROUP BY \(groupKeys) ORDER BY \(order)
        """
    }
}

/// HEALTH against DuckDB: each band's evaluated account-months and outcomes, and the AUC of the
/// bands in their claimed order (green, yellow, red), in both row orders.
@Suite(.serialized) struct HealthDifferentialTests {
    @Test(arguments: [RowOrder.account, .period])
    func healthMatchesDuckDB(order: RowOrder) throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.generated(in: directory, rows: 15_000, seed: 12, order: order, rowGroupSize: 1_000)
        let month = { (column: String) in "(CAST(substr(\(column), 1, 4) AS INTEGER) * 12 + CAST(substr(\(column), 6, 2) AS INTEGER))" }
        let t = oracle.schema.table
        let outcomes = """
            WITH c AS (SELECT DISTINCT account_id, \(month("period")) AS cm FROM \(t) WHERE churned = 1),
            b AS (SELECT max(\(month("period"))) AS hi FROM \(t)),
            e AS (SELECT t.health, \(month("t.period")) AS m, t.account_id FROM \(t) t, b
                  WHERE t.churned = 0 AND region <> 'amer' AND \(month("t.period")) + 2 <= b.hi),
            o AS (SELECT health, EXISTS (SELECT 1 FROM c WHERE c.account_id = e.account_id AND c.cm > e.m AND c.cm <= e.m + 2) AS outcome FROM e),
            bands AS (SELECT health, CASE health WHEN 'green' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END AS risk,
                             count(*) AS n, count(*) FILTER (WHERE outcome) AS pos FROM o GROUP BY health)
            """
        let answers = try DuckDBOracle.run(csv: oracle.csv, schema: oracle.schema, queries: [
            outcomes + " SELECT health, n, pos, pos / n FROM bands ORDER BY risk",
            outcomes + """
                , w AS (SELECT risk, pos, n - pos AS neg, coalesce(sum(n - pos) OVER (ORDER BY risk ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS safer FROM bands)
                SELECT sum(pos * (safer + 0.5 * neg)) / (sum(pos) * sum(neg)) FROM w
                """,
        ])
        let ours = try oracle.engine.execute("HEALTH HORIZON 2 WHERE region <> 'amer'")
        guard case let .rows(bands) = answers[0], case let .rows(auc) = answers[1] else {
            Issue.record("DuckDB refused: \(answers)")
            return
        }
        let mine = ours.rows.filter { $0[0] != .subtotal }
        #expect(mine.count == bands.count && mine.count == 3)
        for (row, expected) in zip(mine, bands) {
            let values = row.prefix(4).map(OracleValue.init)
            #expect(zip(values, expected).allSatisfy { $0.matches($1) }, "\(values) vs DuckDB \(expected)")
        }
        let mineAUC = OracleValue(ours.details.first { $0.name == "auc" }?.value ?? .null)
        #expect(mineAUC.matches(auc.first?.first ?? .null), "AUC \(mineAUC) vs \(String(describing: auc.first))")
        #expect(ours.details.contains { $0.name == "ordered" && $0.value == .boolean(true) })
    }
}
