import ChurnAnalysis
import ChurnIngest
import ChurnQuery
import Foundation
import Testing

/// WHY, TREND and COMPARE on members that are NULL, quoted, accented or CJK, with NULL facts and
/// rows without a month: the change sits in the NULL region and is reported there.
@Suite struct TimeOddDataTests {
    static let regions: [String?] = [nil, "Zürich", "a,b", "東京"]

    /// 4,000 accounts over four months; churn is 2% everywhere except the NULL region in the
    /// last month (25%). Every 50th churned value is NULL; every 97th row has no month. Members
    /// order by their bytes, NULL last.
    static func runner() throws -> StatementRunner {
        var lines = ["account_id,period,region,churned,mrr_start,mrr_end"]
        var seed: UInt64 = 1
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        var row = 0
        for account in 0..<4000 {
            let region = regions[account % regions.count]
            let field = region.map { $0.contains(",") ? "\"\($0)\"" : $0 } ?? ""
            for month in 1...4 {
                row += 1
                let rate = region == nil && month == 4 ? 0.25 : 0.02
                let churned = row % 50 == 0 ? "" : (next() < rate ? "1" : "0")
                let period = row % 97 == 0 ? "" : "2025-0\(month)"
                lines.append("A\(account),\(period),\(field),\(churned),100.00,100.00")
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-odd-time-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/facts.csv", atomically: false, encoding: .utf8)
        try """
            cube: odd_time
            dimensions:
              account_id: {}
              period: { type: month }
              region: {}
            facts:
              churned: flag
              mrr_start: money
              mrr_end: money
            measures:
              logo_churn_rate: { formula: SUM(churned) / COUNT(churned), format: percent }
            """.write(toFile: directory + "/odd.yaml", atomically: false, encoding: .utf8)
        var options = IngestOptions(cubePath: directory + "/odd.yaml")
        options.rowGroupSize = 512
        let (cube, _) = try CSVLoader.load(path: directory + "/facts.csv", options: options)
        return StatementRunner(engine: try QueryEngine(cube: cube))
    }

    @Test func theChangeInTheNullRegionIsFoundAndShownAsNull() throws {
        let runner = try Self.runner()
        let why = try runner.execute("WHY logo_churn_rate CHANGED FROM '2025-03' TO '2025-04' BY region")
        #expect(HotspotStatementTests.cells(why) == ["region IS NULL"])
        let trend = try runner.execute("TREND logo_churn_rate BY region")
        #expect(trend.rows.map { $0[0] } == [.subtotal, .text("Zürich"), .text("a,b"), .text("東京"), .null])
        let compare = try runner.execute("SELECT region, logo_churn_rate FROM odd_time GROUP BY region COMPARE period = '2025-03' TO period = '2025-04'")
        #expect(compare.rows.map { $0[0] } == [.text("Zürich"), .text("a,b"), .text("東京"), .null])
        let nullRegion = try #require(compare.rows.last)
        #expect((nullRegion[3].doubleValue ?? 0) > 0.15)
        #expect((nullRegion[5].doubleValue ?? 1) < 0.001)
    }
}
