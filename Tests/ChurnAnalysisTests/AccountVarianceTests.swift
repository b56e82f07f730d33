import ChurnQuery
import ChurnSyntax
import Foundation
import Testing
@testable import ChurnAnalysis

/// Variances taken over accounts: the scan's per-account moments, their exact roll-up when a
/// dimension changes within an account, and what a single account can (not) show.
@Suite(.serialized) struct AccountVarianceTests {
    /// segment {smb} × health {green, red}. Account A: green (x 1, y 3) and red (x 1, y 2);
    /// account B: green (x 0, y 4).
    static var healthChanges: HotspotInput {
        let segment = HotspotDimension(name: "segment", labels: [nil, "smb"])
        let health = HotspotDimension(name: "health", labels: [nil, "green", "red"])
        var green = Moments.zero
        green.add(cluster: 3, x: 1, y: 3)
        green.add(cluster: 4, x: 0, y: 4)
        var red = Moments.zero
        red.add(cluster: 2, x: 1, y: 2)
        let parts = MomentTable.ClusterParts(cells: [0, 1, 0], xs: [1, 1, 0], ys: [3, 2, 4], starts: [0, 2, 3])
        return HotspotInput(dimensions: [segment, health], cells: [HotspotCell(key: [1, 1], moments: green),
                                                                   HotspotCell(key: [1, 2], moments: red)],
                            measure: Fixtures.churn, clusterParts: parts)
    }

    /// The moments a variance over accounts reads: rows, sums, accounts and their second moments.
    static func clustered(_ moments: Moments) -> [Double] {
        [moments.rows, moments.x, moments.y, moments.clusters, moments.xx, moments.yy, moments.xy]
    }

    @Test func anAccountIsMergedBeforeSquaringWhereItsHealthChanges() throws {
        let lattice = try CuboidLattice(input: Self.healthChanges, depth: 2)
        #expect(lattice.varyingDimensions == 0b10)
        // smb over both healths: A is one account with X = 2, Y = 5, B has X = 0, Y = 4:
        // two accounts, ΣX² = 4, ΣY² = 41, ΣXY = 10 (adding the cells would give 3, 2, 29, 5).
        let segment = lattice.cuboids[lattice.index(ofMask: 0b01)!]
        #expect(Self.clustered(segment.moments[1]) == [9, 2, 9, 2, 4, 41, 10])
        #expect(lattice.whole == segment.moments[1])
        // Per row they simply add: A's rows (1/3, 1) ×3 and (1/2, 1) ×2, B's (0, 1) ×4.
        #expect(segment.moments[1].rowYY == 9 && segment.moments[1].rowXY == 2 && abs(segment.moments[1].rowXX - 5.0 / 6) < 1e-15)
        // A cuboid grouping by health keeps A's two parts apart.
        let health = lattice.cuboids[lattice.index(ofMask: 0b10)!]
        #expect(Self.clustered(health.moments[1]) == [7, 1, 7, 2, 1, 25, 3])
        #expect(Self.clustered(health.moments[2]) == [2, 1, 2, 1, 1, 4, 2])
        let both = lattice.cuboids[lattice.index(ofMask: 0b11)!]
        #expect(both.moments[1 * 3 + 2] == health.moments[2])
        #expect(lattice.mergedFinestCount == 1)

        // Without parts, the cells' moments simply add.
        var plain = Self.healthChanges
        plain.clusterParts = nil
        let added = try CuboidLattice(input: plain, depth: 2)
        #expect(added.varyingDimensions == 0)
        #expect(Self.clustered(added.cuboids[added.index(ofMask: 0b01)!].moments[1]) == [9, 2, 9, 3, 2, 29, 5])
    }

    /// A remote engine lists only the accounts with rows in several cells (A); B, in one cell,
    /// is in that cell's moments alone. The roll-ups are the same as with every account listed.
    @Test func onlyTheAccountsThatSpanCellsNeedListing() throws {
        var pooled = Self.healthChanges
        pooled.clusterParts = MomentTable.ClusterParts(cells: [0, 1], xs: [1, 1], ys: [3, 2], starts: [0, 2], listsEveryAccount: false)
        let listed = try CuboidLattice(input: Self.healthChanges, depth: 2)
        let lattice = try CuboidLattice(input: pooled, depth: 2)
        #expect(lattice.varyingDimensions == 0b10)
        for mask: UInt64 in [0b01, 0b10, 0b11] {
            let ours = lattice.cuboids[lattice.index(ofMask: mask)!].moments, theirs = listed.cuboids[listed.index(ofMask: mask)!].moments
            #expect(ours.map(Self.clustered) == theirs.map(Self.clustered), "mask \(mask)")
        }
        #expect(Self.clustered(lattice.cuboids[lattice.index(ofMask: 0b01)!].moments[1]) == [9, 2, 9, 2, 4, 41, 10])
        #expect(lattice.whole == listed.whole)
    }

    @Test func aCellOfOneAccountIsNeverAHotSpot() throws {
        // Cohort a: one account, 400 months, 40 events (10%); cohort b: 400 accounts of one month,
        // 40 events (10%); cohort c: 4,000 independent rows at 2%. Both a and b are five times the
        // rate of c, but only b is evidence: a could be one account's bad luck.
        let cohort = HotspotDimension(name: "cohort", labels: [nil, "a", "b", "c"])
        var one = Moments.zero
        one.add(cluster: 400, x: 40, y: 400)
        var many = Moments.zero
        for account in 0..<400 { many.add(x: account < 40 ? 1 : 0, y: 1) }
        let input = HotspotInput(dimensions: [cohort], cells: [
            HotspotCell(key: [1], moments: one), HotspotCell(key: [2], moments: many),
            HotspotCell(key: [3], moments: Fixtures.proportion(rows: 4000, events: 80)),
        ], measure: Fixtures.churn)
        let all = try HotspotSearch(input: input, options: Fixtures.everything(.global)).run()
        #expect(try #require(all.finding("cohort = a")).z == 0)
        #expect(try #require(all.finding("cohort = b")).z > 5)
        let reported = try HotspotSearch(input: input, options: HotspotOptions(minimumSupport: 100, baseline: .global)).run()
        #expect(reported.findings.map(\.conditionText) == ["cohort = b"])
    }

    /// ΣX², ΣY², ΣXY and the number of accounts per member of `dimension`, from a GROUP BY
    /// account_id query: what the scan must collect.
    static func accountMoments(_ runner: StatementRunner, numerator: String, denominator: String, by dimension: String,
                               filter: String) throws -> [String: (clusters: Double, xx: Double, yy: Double, xy: Double)] {
        let result = try runner.execute("""
            SELECT \(dimension), account_id, SUM(\(numerator)), SUM(\(denominator)) FROM subscriptions
            \(filter) GROUP BY \(dimension), account_id
            """)
        var sums: [String: (clusters: Double, xx: Double, yy: Double, xy: Double)] = [:]
        for row in result.rows {
            guard case let .text(member) = row[0], let x = row[2].doubleValue, let y = row[3].doubleValue else { continue }
            var entry = sums[member] ?? (0, 0, 0, 0)
            entry.clusters += 1
            entry.xx += x * x
            entry.yy += y * y
            entry.xy += x * y
            sums[member] = entry
        }
        return sums
    }

    @Test func theScanCollectsEachAccountsMomentsPerCell() throws {
        let runner = HotspotStatementTests.sample
        let engine = runner.engine
        for (measure, numerator, denominator) in [("logo_churn_rate", "churned", "1"), ("revenue_churn_rate", "churned_mrr", "mrr_start")] {
            let parts = try engine.ratioParts(of: try Parser.parseExpression(measure))
            // Every row (read run by run of the account column), and a filter's rows (row by row).
            let cases: [(dimension: String, filter: String?)] = [("segment", nil), ("health", nil),
                                                                 ("health", "plan = 'pro' AND period >= '2024-06'")]
            for (dimension, filter) in cases {
                let attribute = try #require(engine.catalog.attribute(named: dimension))
                let condition = try filter.map { try Parser.parseExpression($0) }
                let table = try engine.moments(of: parts, by: [attribute], filter: condition, cubeName: nil, cancellation: .never)
                let expected = try Self.accountMoments(runner, numerator: numerator, denominator: denominator, by: dimension,
                                                       filter: filter.map { "WHERE " + $0 } ?? "")
                #expect(table.cells.count == expected.count)
                // Per row, Σx², Σx·y and Σy²: the variance as if months were independent.
                let rowSquares = try runner.execute("""
                    SELECT \(dimension), SUM(\(numerator) * \(numerator)), SUM(\(numerator) * \(denominator)),
                    SUM(\(denominator) * \(denominator)) FROM subscriptions \(filter.map { "WHERE " + $0 } ?? "") GROUP BY \(dimension)
                    """)
                for row in rowSquares.rows {
                    guard case let .text(member) = row[0] else { continue }
                    let cell = try #require(table.cells.first { attribute.dictionary.value(of: $0.codes[0]) == member })
                    for (got, column) in [(cell.rowXX, 1), (cell.rowXY, 2), (cell.rowYY, 3)] {
                        let want = try #require(row[column].doubleValue)
                        #expect(abs(got - want) <= 1e-9 * max(1, want), "\(measure) \(member): \(got) vs \(want)")
                    }
                }
                // Health changes from month to month: its accounts have parts in several cells.
                #expect((table.clusterParts != nil) == (dimension == "health"))
                #expect(table.clusterStatistics?.attribute == "account_id")
            }
        }
    }

    @Test func explainNamesTheVarianceAndItsCost() throws {
        let explained = try HotspotStatementTests.sample.execute("EXPLAIN HOTSPOTS logo_churn_rate BY segment, health DEPTH 2")
        let text = explained.text ?? ""
        #expect(text.contains("variance: robust to accounts (clusters by account_id), binomial times each cell's design effect; in the scan "))
        #expect(text.contains("variance: health changes within accounts: 1 merged finest grouping ("))
        let plain = try HotspotStatementTests.sample.execute("EXPLAIN HOTSPOTS revenue_churn_rate BY segment, region")
        let other = plain.text ?? ""
        #expect(other.contains("delta method over accounts"))
        #expect(other.contains("variance: no dimension changes within an account: cluster moments add up exactly, "))
    }

    @Test func theSameStatementGivesTheSameAnswerEveryRun() throws {
        let statement = "HOTSPOTS nrr BY segment, region, plan, health DEPTH 3 MIN SUPPORT 100 BOTH LIMIT 50"
        let first = try HotspotStatementTests.sample.execute(statement)
        for _ in 0..<3 { #expect(try HotspotStatementTests.sample.execute(statement).rows == first.rows) }
    }
}
