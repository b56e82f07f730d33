import ChurnGenerator
import ChurnQuery
import Foundation
import Testing

/// COHORT on ChurnCube and the same retention written as SQL window and join queries on DuckDB,
/// over the same CSV: cohort membership, months since start, blanks past the data's end and
/// every value, row for row, in both row orders and on the odd data set.
@Suite(.serialized) struct CohortDifferentialTests {
    struct Case {
        var measure: String
        var by: String?
        var filter: String?
        var months: Int
    }

    static let cases: [Case] = [
        Case(measure: "logo_retention", by: nil, filter: nil, months: 12),
        Case(measure: "revenue_retention", by: nil, filter: nil, months: 6),
        Case(measure: "logo_churn_rate", by: nil, filter: nil, months: 24),
        Case(measure: "logo_retention", by: "quarter", filter: nil, months: 9),
        Case(measure: "revenue_retention", by: "region", filter: nil, months: 5),
        Case(measure: "logo_retention", by: "segment", filter: "region <> 'amer'", months: 4),
        Case(measure: "revenue_churn_rate", by: "quarter", filter: "mrr_start > 100", months: 3),
        Case(measure: "logo_retention", by: nil, filter: "period >= '2024-06'", months: 30),
    ]

    @Test(arguments: [RowOrder.account, .period])
    func subscriptionCohortsMatchDuckDB(order: RowOrder) throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.generated(in: directory, rows: 12_000, seed: 31, order: order, rowGroupSize: 1_000,
                                              groupable: ["region", "segment"])
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, expectLeftOut: true)
    }

    @Test(arguments: [(RowOrder.account, "[account_id, period]"), (RowOrder.period, "none")])
    func oddDataCohortsMatchDuckDB(order: RowOrder, sort: String) throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.odd(in: directory, seed: 5, accounts: 400, order: order, csvSeed: 3, sort: sort,
                                        groupable: ["region", "segment"])
        try compare(engine: oracle.engine, csv: oracle.csv, schema: oracle.schema, expectLeftOut: true)
    }

    private func compare(engine: QueryEngine, csv: String, schema: DifferentialSchema, expectLeftOut: Bool) throws {
        let statements = Self.cases.map { item in
            "COHORT \(item.measure)" + (item.filter.map { " WHERE \($0)" } ?? "") + (item.by.map { " BY \($0)" } ?? "") + " MONTHS \(item.months)"
        }
        let answers = try DuckDBOracle.run(csv: csv, schema: schema, queries: Self.cases.map { Self.sql($0, table: schema.table) })
        for (index, statement) in statements.enumerated() {
            let ours = try engine.execute(statement)
            guard case let .rows(theirs) = answers[index] else {
                Issue.record("DuckDB refused the oracle query of \(statement): \(answers[index])")
                continue
            }
            #expect(ours.rows.count == theirs.count, "\(statement): \(ours.rows.count) rows, DuckDB \(theirs.count)")
            #expect(!ours.rows.isEmpty, "\(statement) gave no rows")
            if expectLeftOut { #expect(ours.text?.contains("left out (start unknown)") == true) }
            for (row, (mine, expected)) in zip(ours.rows, theirs).enumerated() {
                let values = mine.map(OracleValue.init)
                guard values.count == expected.count, zip(values, expected).allSatisfy({ $0.matches($1) }) else {
                    Issue.record("\(statement): row \(row) is \(values), DuckDB \(expected)")
                    break
                }
            }
        }
    }

    /// The cohort query in SQL: each account's start is its first month in the slice; accounts
    /// of the slice's first month are left out; the member is the smallest of the start month;
    /// months since start run to the cap or to the data's last month for the cohort's latest start.
    static func sql(_ item: Case, table: String) -> String {
        func month(_ column: String) -> String { "(CAST(substr(\(column), 1, 4) AS INTEGER) * 12 + CAST(substr(\(column), 6, 2) AS INTEGER) - 1)" }
        let grain = item.by == "quarter" ? "substr(start, 1, 4) || '-Q' || CAST((CAST(substr(start, 6, 2) AS INTEGER) - 1) // 3 + 1 AS VARCHAR)"
            : "start"
        let split = item.by.flatMap { $0 == "quarter" ? nil : $0 }
        let member = split.map { "MIN(f.\($0))" } ?? "NULL"
        let value: String
        switch item.measure {
        case "logo_retention":
            value = "COALESCE(a.active, 0) / s.n"
        case "revenue_retention":
            value = "CASE WHEN s.start_mrr = 0 OR s.start_mrr IS NULL THEN NULL ELSE COALESCE(a.mrr_end, 0) / s.start_mrr END"
        case "logo_churn_rate":
            value = "CASE WHEN COALESCE(r.den, 0) = 0 THEN NULL ELSE r.num / r.den END"
        default:
            value = "CASE WHEN COALESCE(r.den, 0) = 0 THEN NULL ELSE r.num / r.den END"
        }
        let ratioParts = item.measure == "logo_churn_rate" ? ("SUM(f.churned)", "COUNT(*)") : ("SUM(f.churned_mrr)", "SUM(f.mrr_start)")
        return """
        WITH f AS (SELECT * FROM \(table) WHERE \(item.filter ?? "TRUE")),
        bounds AS (SELECT MIN(period) AS lo, MAX(period) AS hi FROM f WHERE period IS NOT NULL),
        starts AS (SELECT account_id, MIN(period) AS start FROM f WHERE account_id IS NOT NULL AND period IS NOT NULL GROUP BY account_id),
        accounts AS (
            SELECT s.account_id, s.start, \(grain) AS cohort_label, \(member) AS member_value
            FROM starts s JOIN f ON f.account_id = s.account_id AND f.period = s.start, bounds
            WHERE s.start <> bounds.lo GROUP BY ALL),
        sizes AS (
            SELECT cohort_label, member_value, COUNT(*) AS n, MAX(\(month("start"))) AS latest,
                   (SELECT SUM(f.mrr_start) FROM f JOIN accounts x ON f.account_id = x.account_id AND f.period = x.start
                    WHERE x.cohort_label = c.cohort_label AND x.member_value IS NOT DISTINCT FROM c.member_value) AS start_mrr
            FROM accounts c GROUP BY cohort_label, member_value),
        cohort_rows AS (
            SELECT c.cohort_label, c.member_value, \(month("f.period")) - \(month("c.start")) AS k, f.account_id, f.churned,
                   f.mrr_end, f.mrr_start, f.churned_mrr
            FROM f JOIN accounts c ON f.account_id = c.account_id WHERE f.period IS NOT NULL),
        active AS (SELECT cohort_label, member_value, k, COUNT(DISTINCT account_id) AS active, SUM(mrr_end) AS mrr_end
                   FROM cohort_rows WHERE churned = 0 GROUP BY ALL),
        ratio AS (SELECT cohort_label, member_value, k, \(ratioParts.0.replacingOccurrences(of: "f.", with: "")) AS num,
                         \(ratioParts.1.replacingOccurrences(of: "f.", with: "")) AS den FROM cohort_rows GROUP BY ALL)
        SELECT s.cohort_label, \(split == nil ? "" : "s.member_value, ")t.k, s.n, \(value)
        FROM sizes s CROSS JOIN range(0, \(item.months + 1)) t(k) CROSS JOIN bounds
        LEFT JOIN active a ON a.cohort_label = s.cohort_label AND a.member_value IS NOT DISTINCT FROM s.member_value AND a.k = t.k
        LEFT JOIN ratio r ON r.cohort_label = s.cohort_label AND r.member_value IS NOT DISTINCT FROM s.member_value AND r.k = t.k
        WHERE t.k <= \(month("bounds.hi")) - s.latest
        ORDER BY s.cohort_label, s.member_value NULLS LAST, t.k
        """
    }
}
