import ChurnQuery
import Testing

/// EXPLAIN reports what running the plan did: columns, row groups skipped, chunks decoded.
@Suite struct ExplainTests {
    static let engine = try! BehaviourTests.load("tiny")

    static func lines(_ statement: String) throws -> [String] {
        (try engine.execute(statement).text ?? "").split(separator: "\n").map(String.init)
    }

    @Test func drillThroughCountsTheChunksOfEveryColumnItDecodes() throws {
        // tiny has 12 rows in row groups of 4; account A2's rows are the 4th and 5th, in groups 1 and 2.
        let lines = try Self.lines("EXPLAIN SELECT * FROM tiny WHERE account_id = 'A2'")
        #expect(lines.contains("row groups: 3 total, 1 skipped by statistics, 0 matched whole by statistics, 2 filtered"))
        #expect(lines.contains("predicate kernels (runs over row groups): dictionary codes 2"))
        #expect(lines.contains("physical order: as loaded (no sort key)"))
        // In each of the two groups: the filter column, then all 11 columns.
        #expect(lines.contains("chunks decoded: 24"))
        #expect(lines.contains("rows out: 2"))
    }

    @Test func aggregationShowsItsGroupingSets() throws {
        let lines = try Self.lines("EXPLAIN SELECT region, customers FROM tiny GROUP BY ROLLUP(region)")
        #expect(lines.contains("aggregates: count(*)"))
        #expect(lines.contains("  (region): the scan's grouping"))
        #expect(lines.contains("  (): 4 finest groups merged into 1"))
        #expect(lines.contains("rows out: 5"))
        #expect(lines.contains("row groups: 3 total, all read (no filter)"))
        #expect(lines.contains("columns read: region (1 of 11)"))
        #expect(!lines.contains { $0.contains("filtered") })
    }

    @Test func thresholdsNameTheirKernelsAndTopNItsSelection() throws {
        let lines = try Self.lines("EXPLAIN SELECT account_id, SUM(mrr_start) AS m FROM tiny WHERE mrr_start > 10 GROUP BY account_id ORDER BY m DESC LIMIT 1")
        #expect(lines.contains { $0.hasPrefix("predicate kernels (runs over row groups): ") && $0.contains("integer loop") })
        #expect(lines.contains { $0.hasPrefix("aggregation: one scan grouped by (account_id) on ") && $0.contains("dense arrays indexed by code") && $0.contains("per thread") })
        #expect(lines.contains("order: top-1 of 5 groups, 1 ranked exactly after a floating-point screen"))
    }
}
