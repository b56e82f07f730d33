import ChurnGenerator
import ChurnQuery
import Foundation
import Testing

/// PARETO against DuckDB's ordered window queries on the same CSV, in both row orders and on the
/// odd data set: each cut's member count, share, member and value, and the Gini coefficient.
@Suite(.serialized) struct ParetoDifferentialTests {
    static let statements: [(cq: String, value: String, member: String, filter: String)] = [
        ("PARETO mrr", "semi", "account_id", "TRUE"),
        ("PARETO SUM(mrr_start) WHERE period >= '2025-01' BY region", "SUM(mrr_start)", "region", "period >= '2025-01'"),
        ("PARETO SUM(churned_mrr) BY country", "SUM(churned_mrr)", "country", "TRUE"),
    ]

    @Test(arguments: [RowOrder.account, .period])
    func paretoMatchesDuckDB(order: RowOrder) throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.generated(in: directory, rows: 20_000, seed: 5, order: order, rowGroupSize: 1_500)
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, statements: Self.statements)
    }

    @Test func paretoMatchesDuckDBOnOddData() throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.odd(in: directory, seed: 8, accounts: 300, order: .period, csvSeed: 2, sort: "[account_id, period]")
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, statements: [
            ("PARETO SUM(mrr_start) BY region", "SUM(mrr_start)", "region", "TRUE"),
            ("PARETO SUM(churned_mrr) WHERE churned = 1 BY account_id", "SUM(churned_mrr)", "account_id", "churned = 1"),
        ])
    }

    private func compare(engine: QueryEngine, csv: String, schema: DifferentialSchema,
                         statements: [(cq: String, value: String, member: String, filter: String)]) throws {
        let queries = statements.flatMap { [Self.cutsSQL($0.value, member: $0.member, filter: $0.filter, table: schema.table),
                                            Self.giniSQL($0.value, member: $0.member, filter: $0.filter, table: schema.table)] }
        let answers = try DuckDBOracle.run(csv: csv, schema: schema, queries: queries)
        for (index, statement) in statements.enumerated() {
            let ours = try engine.execute(statement.cq + ";")
            guard case let .rows(cuts) = answers[2 * index], case let .rows(gini) = answers[2 * index + 1] else {
                Issue.record("DuckDB refused \(statement.cq): \(answers[2 * index]) \(answers[2 * index + 1])")
                continue
            }
            // Ours: top 1/5/10/20%, hold 80%, all; DuckDB: the same cuts in that order.
            #expect(ours.rows.count == cuts.count, "\(statement.cq): \(ours.rows.count) rows, DuckDB \(cuts.count)")
            for (mine, theirs) in zip(ours.rows, cuts) {
                let values = [mine[1], mine[3], mine[4], mine[5]].map(OracleValue.init)
                #expect(zip(values, theirs).allSatisfy { $0.matches($1) }, "\(statement.cq) \(mine[0]): \(values) vs DuckDB \(theirs)")
            }
            let mineGini = ours.details.first { $0.name == "gini" }.map { OracleValue($0.value) } ?? .null
            #expect(mineGini.matches(gini.first?.first ?? .null), "\(statement.cq) Gini: \(mineGini) vs \(String(describing: gini.first))")
        }
    }

    /// Each member's value: a sum, or for `semi` the sum of mrr_end in the member's latest month.
    static func valuesSQL(_ value: String, member: String, filter: String, table: String) -> String {
        if value == "semi" {
            return """
                SELECT \(member) AS m, sum(mrr_end) FILTER (WHERE period = latest) AS value
                FROM (SELECT *, max(period) OVER (PARTITION BY \(member)) AS latest FROM \(table) WHERE \(filter)) GROUP BY \(member)
                """
        }
        return "SELECT \(member) AS m, \(value) AS value FROM \(table) WHERE \(filter) GROUP BY \(member)"
    }

    static func cutsSQL(_ value: String, member: String, filter: String, table: String) -> String {
        """
        WITH v AS (\(valuesSQL(value, member: member, filter: filter, table: table))),
        r AS (SELECT m, value, row_number() OVER (ORDER BY value DESC, m) AS k,
                     sum(value) OVER (ORDER BY value DESC, m ROWS UNBOUNDED PRECEDING) AS cum
              FROM v WHERE m IS NOT NULL AND value IS NOT NULL),
        n AS (SELECT count(*) AS n, sum(value) AS total FROM r),
        held AS (SELECT min(k) AS k FROM r, n WHERE cum >= 0.8 * total),
        cuts AS (SELECT 1 AS o, (n * 1 + 99) // 100 AS k FROM n UNION ALL SELECT 2, (n * 5 + 99) // 100 FROM n
                 UNION ALL SELECT 3, (n * 10 + 99) // 100 FROM n UNION ALL SELECT 4, (n * 20 + 99) // 100 FROM n
                 UNION ALL SELECT 5, k FROM held UNION ALL SELECT 6, n FROM n)
        SELECT cuts.k, r.cum / n.total, r.m, r.value FROM cuts JOIN r ON r.k = cuts.k, n ORDER BY cuts.o
        """
    }

    static func giniSQL(_ value: String, member: String, filter: String, table: String) -> String {
        """
        WITH v AS (\(valuesSQL(value, member: member, filter: filter, table: table))),
        a AS (SELECT value, row_number() OVER (ORDER BY value) AS i, count(*) OVER () AS n, sum(value) OVER () AS total
              FROM v WHERE m IS NOT NULL AND value IS NOT NULL)
        SELECT CASE WHEN max(total) > 0 THEN sum((2 * i - n - 1) * value) / (max(n) * max(total)) END FROM a
        """
    }
}
