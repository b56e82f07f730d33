import ChurnGenerator
import ChurnQuery
import Foundation
import Testing

/// HEALTH of a numeric score against the same definitions written as SQL on DuckDB: quintile cut
/// points from row_number over the sorted scores, bands by CASE, the AUC from mid-ranks
/// (Mann-Whitney); every band's label, counts, rate and lift, the NULL band, the total, the AUC
/// and its direction, in both row orders and on the odd data set.
@Suite(.serialized) struct NumericHealthDifferentialTests {
    struct Case {
        /// What HEALTH names, and the same score as SQL over a row.
        var score: String
        var sql: String
        /// How SQL writes a cut point as the band labels do.
        var label: Label
        var horizon: Int
        var filter: String?
        /// Rows the answer has at least (bands, NULL band, total): ties can merge bands.
        var minimumRows = 6
    }

    enum Label {
        case integer, money, double

        func sql(_ value: String) -> String {
            switch self {
            case .integer, .money: return "CAST(\(value) AS VARCHAR)"
            case .double: return "printf('%.6g', \(value))"
            }
        }
    }

    @Test(arguments: [RowOrder.account, .period])
    func numericHealthMatchesDuckDB(order: RowOrder) throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.generated(in: directory, rows: 15_000, seed: 21, order: order, rowGroupSize: 1_000)
        try compare(oracle, cases: [
            Case(score: "logins", sql: "logins", label: .integer, horizon: 3, filter: nil),
            Case(score: "mrr_start", sql: "mrr_start", label: .money, horizon: 2, filter: "region <> 'amer'"),
            Case(score: "seat_utilization", sql: "CAST(seats_active AS DOUBLE) / nullif(seats_licensed, 0)", label: .double, horizon: 1, filter: nil),
            Case(score: "days_since_exec_contact", sql: "days_since_exec_contact", label: .integer, horizon: 3, filter: "segment = 'smb'"),
        ])
    }

    @Test func numericHealthMatchesDuckDBOnOddData() throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let oracle = try OracleCube.odd(in: directory, seed: 8, accounts: 400, order: .period, csvSeed: 3, sort: "none")
        try compare(oracle, cases: [
            Case(score: "logins", sql: "logins", label: .integer, horizon: 2, filter: nil),
            Case(score: "mrr_start", sql: "mrr_start", label: .money, horizon: 3, filter: "segment IS NOT NULL"),
            Case(score: "usage_per_seat", sql: "usage / nullif(seats, 0)", label: .double, horizon: 1, filter: nil),
            // Active rows have no churned MRR: 0 everywhere (one band of ties, AUC 0.5), -0 over
            // negative MRR, NULL over NULL or zero MRR.
            Case(score: "revenue_churn_rate", sql: "CAST(churned_mrr AS DOUBLE) / nullif(CAST(mrr_start AS DOUBLE), 0) + 0.0", label: .double,
                 horizon: 2, filter: nil, minimumRows: 3),
        ])
    }

    private func compare(_ oracle: OracleCube, cases: [Case]) throws {
        let answers = try DuckDBOracle.run(csv: oracle.csv, schema: oracle.schema,
                                           queries: cases.flatMap { Self.sql($0, table: oracle.schema.table) })
        for (index, item) in cases.enumerated() {
            let statement = "HEALTH \(item.score) HORIZON \(item.horizon)" + (item.filter.map { " WHERE \($0)" } ?? "")
            let ours = try oracle.engine.execute(statement)
            guard case let .rows(bands) = answers[2 * index], case let .rows(aucRows) = answers[2 * index + 1] else {
                Issue.record("DuckDB refused the oracle queries of \(statement): \(answers[2 * index]), \(answers[2 * index + 1])")
                continue
            }
            // Label, evaluated, churned, rate and lift of each band, the NULL band and the total.
            #expect(ours.rows.count == bands.count, "\(statement): \(ours.rows.count) rows, DuckDB \(bands.count)")
            #expect(ours.rows.count >= item.minimumRows, "\(statement): \(ours.rows.count) rows, fewer than the case means to test")
            for (row, expected) in zip(ours.rows, bands) {
                let values = row.prefix(5).map(OracleValue.init)
                #expect(zip(values, expected).allSatisfy { $0.matches($1) }, "\(statement): \(values) vs DuckDB \(expected)")
            }
            let auc = aucRows.first?.first ?? .null
            let mine = OracleValue(ours.details.first { $0.name == "auc" }?.value ?? .null)
            #expect(mine.matches(auc), "\(statement): AUC \(mine) vs DuckDB \(auc)")
            // The direction the AUC shows, and whether the band rates (not NULL's) move that way.
            guard case let .number(value) = auc else {
                Issue.record("\(statement): DuckDB gave no AUC")
                continue
            }
            let higher = value >= 0.5
            #expect((ours.text ?? "").contains(String(format: "%@ %@ churns more, AUC %.3f", higher ? "higher" : "lower", item.score, higher ? value : 1 - value)),
                    "\(statement): \(ours.text ?? "")")
            let rates = bands.dropLast().filter { if case .null = $0[0] { return false } else { return true } }.compactMap { row -> Double? in
                if case let .number(rate) = row[3] { return rate }
                if case let .exact(digits) = row[3] { return Double(digits) }
                return nil
            }
            let ordered = zip(rates, rates.dropFirst()).allSatisfy { higher ? $1 > $0 : $1 < $0 }
            #expect(ours.details.contains { $0.name == "ordered" && $0.value == .boolean(ordered) }, "\(statement): ordered should be \(ordered)")
        }
    }

    /// The bands query and the AUC query of one case.
    static func sql(_ item: Case, table: String) -> [String] {
        func month(_ column: String) -> String { "(CAST(substr(\(column), 1, 4) AS INTEGER) * 12 + CAST(substr(\(column), 6, 2) AS INTEGER))" }
        let h = item.horizon
        let scored = """
            WITH c AS (SELECT DISTINCT account_id, \(month("period")) AS cm FROM \(table)
                       WHERE churned = 1 AND account_id IS NOT NULL AND period IS NOT NULL),
            b AS (SELECT max(\(month("period"))) AS hi FROM \(table)),
            e AS (SELECT (\(item.sql)) AS s, \(month("t.period")) AS m, t.account_id FROM \(table) t, b
                  WHERE t.churned = 0 AND t.account_id IS NOT NULL AND t.period IS NOT NULL AND (\(item.filter ?? "TRUE"))
                    AND \(month("t.period")) + \(h) <= b.hi),
            o AS (SELECT s, EXISTS (SELECT 1 FROM c WHERE c.account_id = e.account_id AND c.cm > e.m AND c.cm <= e.m + \(h)) AS y FROM e),
            r AS (SELECT s, y, row_number() OVER (ORDER BY s) AS rn, count(*) OVER () AS n,
                         rank() OVER (ORDER BY s) + (count(*) OVER (PARTITION BY s) - 1) / 2.0 AS midrank
                  FROM o WHERE s IS NOT NULL)
            """
        let cut = { (k: Int) in "max(s) FILTER (WHERE rn = (\(k) * n + 4) // 5) AS c\(k)" }
        let label = item.label.sql
        let bands = scored + """
            , cuts AS (SELECT \((1...4).map(cut).joined(separator: ", ")) FROM r),
            banded AS (SELECT y, CASE WHEN s IS NULL THEN 6 WHEN s <= c1 THEN 1 WHEN s <= c2 THEN 2 WHEN s <= c3 THEN 3
                                      WHEN s <= c4 THEN 4 ELSE 5 END AS band,
                              c1, c2, c3, c4 FROM o, cuts),
            counted AS (SELECT band, any_value(c1) AS c1, any_value(c2) AS c2, any_value(c3) AS c3, any_value(c4) AS c4,
                               count(*) AS n, count(*) FILTER (WHERE y) AS pos FROM banded GROUP BY GROUPING SETS ((band), ()))
            SELECT CASE band WHEN 1 THEN '<= ' || \(label("c1")) WHEN 2 THEN '(' || \(label("c1")) || ', ' || \(label("c2")) || ']'
                             WHEN 3 THEN '(' || \(label("c2")) || ', ' || \(label("c3")) || ']'
                             WHEN 4 THEN '(' || \(label("c3")) || ', ' || \(label("c4")) || ']' WHEN 5 THEN '> ' || \(label("c4")) END,
                   n, pos, pos / n, (pos / n) / nullif((SELECT count(*) FILTER (WHERE y) / count(*) FROM o), 0)
            FROM counted ORDER BY band NULLS LAST
            """
        let auc = scored + """
            SELECT (sum(midrank) FILTER (WHERE y) - count(*) FILTER (WHERE y) * (count(*) FILTER (WHERE y) + 1) / 2)
                   / nullif(count(*) FILTER (WHERE y) * count(*) FILTER (WHERE NOT y), 0) FROM r
            """
        return [bands, auc]
    }
}
