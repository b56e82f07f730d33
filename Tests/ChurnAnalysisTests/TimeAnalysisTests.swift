import ChurnAnalysis
import ChurnGenerator
import ChurnIngest
import ChurnQuery
import Foundation
import Testing

/// WHY, TREND and COMPARE on data with a planted change (generate --shift: from 2025-07 on,
/// churn of mid_market accounts in emea triples) and on data without any effect.
@Suite(.serialized) struct TimeAnalysisTests {
    static func runner(shift: Bool, effects: Bool, rows: Int = 400_000) throws -> StatementRunner {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-time-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = FactGenerator(options: GeneratorOptions(rows: rows, seed: 11, plantedEffects: effects, plantedShift: shift)).bytes()
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let (cube, _) = try CSVLoader.load(path: path, options: IngestOptions(cubePath: HotspotStatementTests.root.appendingPathComponent("Cubes/subscriptions.yaml").path))
        return StatementRunner(engine: try QueryEngine(cube: cube))
    }

    static let shifted = try! runner(shift: true, effects: false)
    static let null = try! runner(shift: false, effects: false)

    // MARK: - The decomposition

    /// Two cells, hand-computed. Before: a 100 rows at 10%, b 300 rows at 2% (R₁ = 16/400 = 4%).
    /// After: a 200 rows at 15%, b 200 rows at 2% (R₂ = 34/400 = 8.5%). Mean rate 6.25%.
    /// a: rate (0.15 − 0.10)·(0.25 + 0.5)/2 = 0.01875, mix (0.5 − 0.25)·(0.125 − 0.0625) = 0.015625.
    /// b: rate 0, mix (0.5 − 0.75)·(0.02 − 0.0625) = 0.010625. Sum 0.045 = 8.5% − 4%.
    @Test func contributionsOfAPartitionAddUpToTheTotalChange() {
        let a1 = Fixtures.proportion(rows: 100, events: 10), b1 = Fixtures.proportion(rows: 300, events: 6)
        let a2 = Fixtures.proportion(rows: 200, events: 30), b2 = Fixtures.proportion(rows: 200, events: 4)
        let a = ChangeDecomposition(cellBefore: a1, cellAfter: a2, wholeBefore: a1 + b1, wholeAfter: a2 + b2)
        let b = ChangeDecomposition(cellBefore: b1, cellAfter: b2, wholeBefore: a1 + b1, wholeAfter: a2 + b2)
        #expect(abs(a.rateEffect - 0.01875) < 1e-12)
        #expect(abs(a.mixEffect - 0.015625) < 1e-12)
        #expect(abs(b.rateEffect) < 1e-12)
        #expect(abs(b.mixEffect - 0.010625) < 1e-12)
        #expect(abs(a.contribution + b.contribution - 0.045) < 1e-12)
    }

    /// A cell that exists in one period only is all mix, and the partition still adds up.
    @Test func aCellOfOnePeriodOnlyIsAllMix() {
        let a1 = Fixtures.proportion(rows: 100, events: 5), c2 = Fixtures.proportion(rows: 50, events: 10)
        let a2 = Fixtures.proportion(rows: 100, events: 5)
        let whole1 = a1, whole2 = a2 + c2
        let a = ChangeDecomposition(cellBefore: a1, cellAfter: a2, wholeBefore: whole1, wholeAfter: whole2)
        let c = ChangeDecomposition(cellBefore: .zero, cellAfter: c2, wholeBefore: whole1, wholeAfter: whole2)
        #expect(c.rateEffect == 0)
        #expect(abs(a.contribution + c.contribution - (15.0 / 150 - 0.05)) < 1e-12)
    }

    // MARK: - WHY

    @Test func whyRanksThePlantedChangeFirstAndFoldsItsRelatives() throws {
        let result = try Self.shifted.execute("WHY logo_churn_rate CHANGED FROM '2025-06' TO '2025-07' BY channel, segment, industry, region, country, plan DEPTH 2")
        let cells = HotspotStatementTests.column("cell", of: result).map { ValueTextOf($0) }
        #expect(cells.first == "segment = mid_market, region = emea", "\(cells)")
        // Its parts and its children are not findings of their own.
        for relative in ["segment = mid_market", "region = emea", "segment = mid_market, country = DE"] {
            #expect(!cells.contains(relative), "\(relative) reported: \(cells)")
        }
        #expect(result.details.contains { $0.name == "total_change" })
    }

    @Test func whyReportsNothingBetweenTwoMonthsOfDataWithoutEffects() throws {
        for (before, after) in [("2025-06", "2025-07"), ("2024-03", "2024-04")] {
            let result = try Self.null.execute("WHY logo_churn_rate CHANGED FROM '\(before)' TO '\(after)' BY *")
            #expect(result.rows.isEmpty, "\(before) -> \(after): \(HotspotStatementTests.cells(result))")
            #expect(result.text?.contains("none changed significantly") == true)
        }
    }

    @Test func whyBeforeTheShiftReportsNothing() throws {
        let result = try Self.shifted.execute("WHY logo_churn_rate CHANGED FROM '2025-04' TO '2025-05' BY segment, region, channel")
        #expect(result.rows.isEmpty, "\(HotspotStatementTests.cells(result))")
    }

    @Test func whyRefusesPeriodsItCannotCompare() throws {
        func message(_ text: String) -> String {
            do { _ = try Self.null.execute(text); return "no error" } catch { return "\(error)" }
        }
        #expect(message("WHY logo_churn_rate CHANGED FROM '2025-13' TO '2025-06'")
                == "'2025-13' is no period of the data; months run from 2023-01 to 2025-12, quarter from 2023-Q1 to 2025-Q4, year from 2023 to 2025")
        #expect(message("WHY logo_churn_rate CHANGED FROM '2025-06' TO '2031-01'").hasPrefix("'2031-01' is no period of the data"))
        #expect(message("WHY logo_churn_rate CHANGED FROM '2025-06' TO '2025-05'")
                == "FROM '2025-06' comes after TO '2025-05'; WHY explains the change from an earlier period to a later one: FROM '2025-05' TO '2025-06'")
        #expect(message("WHY customers CHANGED FROM '2025-05' TO '2025-06'").hasPrefix("'customers' (COUNT(*)) is not a ratio of sums"))
        #expect(message("WHY logo_churn_rate CHANGED FROM '2025-Q1' TO '2025-02'") == "'2025-Q1' and '2025-02' overlap; WHY compares two distinct periods")
    }

    @Test func whyComparesQuarters() throws {
        let result = try Self.shifted.execute("WHY logo_churn_rate CHANGED FROM '2025-Q2' TO '2025-Q3' BY segment, region")
        #expect(HotspotStatementTests.cells(result).first == "segment = mid_market, region = emea")
    }

    // MARK: - TREND

    @Test func trendFlagsTheShiftedCombination() throws {
        let result = try Self.shifted.execute("TREND logo_churn_rate WHERE segment = 'mid_market' BY region LAST 12 MONTHS")
        let regions = HotspotStatementTests.column("region", of: result)
        let flags = HotspotStatementTests.column("flag", of: result)
        #expect(regions.first == .subtotal)
        let flagged = zip(regions, flags).filter { $0.1 != .text("") }.map(\.0)
        #expect(flagged.contains(.text("emea")), "\(flags)")
        if let row = regions.firstIndex(of: .text("emea")) {
            #expect(flags[row] == .text("rising against the slice"))
            #expect((result.rows[row][4].doubleValue ?? 0) > 0)
            #expect(String(describing: result.rows[row][1]).count > 0)
        }
    }

    @Test func trendOnDataWithoutEffectsFlagsNothing() throws {
        let result = try Self.null.execute("TREND logo_churn_rate BY segment")
        #expect(HotspotStatementTests.column("flag", of: result).allSatisfy { $0 == .text("") })
        #expect(result.rows.count == 4)
    }

    /// Weighted least squares on three months, by hand: rates 1%, 2%, 3% with weights 100, 100,
    /// 100 have slope 1 point a month and no scatter.
    @Test func theSlopeOfAStraightLineIsExact() throws {
        let values = [Fixtures.proportion(rows: 100, events: 1), Fixtures.proportion(rows: 100, events: 2),
                      Fixtures.proportion(rows: 100, events: 3)]
        let slope = try #require(TrendSlope.fit(values))
        #expect(abs(slope.value - 0.01) < 1e-12)
        #expect(slope.standardError < 1e-12)
    }

    // MARK: - COMPARE

    @Test func compareSetsTheTwoPeriodsSideBySide() throws {
        let result = try Self.shifted.execute(
            "SELECT segment, logo_churn_rate, customers FROM subscriptions WHERE region = 'emea' GROUP BY ROLLUP(segment) COMPARE period = '2025-06' TO period = '2025-07'")
        let names = result.columns.map(\.name)
        #expect(names == ["segment", "logo_churn_rate_before", "logo_churn_rate_after", "logo_churn_rate_change", "logo_churn_rate_change_pct",
                          "logo_churn_rate_p", "logo_churn_rate_q", "customers_before", "customers_after", "customers_change", "customers_change_pct"])
        let before = try Self.shifted.execute("SELECT segment, logo_churn_rate, customers FROM subscriptions WHERE region = 'emea' AND period = '2025-06' GROUP BY ROLLUP(segment)")
        let after = try Self.shifted.execute("SELECT segment, logo_churn_rate, customers FROM subscriptions WHERE region = 'emea' AND period = '2025-07' GROUP BY ROLLUP(segment)")
        #expect(result.rows.map { $0[0] } == before.rows.map { $0[0] })
        for (index, row) in result.rows.enumerated() {
            #expect(row[1] == before.rows[index][1] && row[2] == after.rows[index][1])
            #expect(row[7] == before.rows[index][2] && row[8] == after.rows[index][2])
            if case let .integer(old) = row[7], case let .integer(new) = row[8] { #expect(row[9] == .integer(new - old)) }
        }
        let midMarket = try #require(result.rows.first { $0[0] == .text("mid_market") })
        #expect((midMarket[5].doubleValue ?? 1) < 0.001)
        // Two-proportion test by hand on the mid_market row.
        let counts = try Self.shifted.execute("SELECT period, SUM(churned), COUNT(*) FROM subscriptions WHERE region = 'emea' AND segment = 'mid_market' AND period IN ('2025-06', '2025-07') GROUP BY period")
        let (x1, n1) = (counts.rows[0][1].doubleValue!, counts.rows[0][2].doubleValue!)
        let (x2, n2) = (counts.rows[1][1].doubleValue!, counts.rows[1][2].doubleValue!)
        let pooled = (x1 + x2) / (n1 + n2)
        let z = (x2 / n2 - x1 / n1) / (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        #expect(abs((midMarket[5].doubleValue ?? 0) - NormalDistribution.twoSidedPValue(z)) < 1e-12)
    }

    @Test func compareRefusesASideWithoutRows() throws {
        do {
            _ = try Self.null.execute("SELECT segment, logo_churn_rate FROM subscriptions GROUP BY segment COMPARE period = '2025-06' TO period = '2031-01'")
            Issue.record("no error")
        } catch {
            #expect("\(error)" == "COMPARE: no rows where period = '2031-01' (the data's months run from 2023-01 to 2025-12)")
        }
    }

    /// EXPLAIN of a COMPARE shows the scans it runs: of two months, one scan of both grouped by
    /// the month as well, whose aggregates are the SELECT's own plus the second moments of the
    /// ratio of sums only (a proportion's follow from its sums); of other conditions, each side.
    @Test func explainShowsTheScansCompareRuns() throws {
        let months = try #require(Self.null.execute(
            "EXPLAIN SELECT region, customers, logo_churn_rate, revenue_churn_rate FROM subscriptions GROUP BY region "
                + "COMPARE period = '2025-05' TO period = '2025-06'").text)
        #expect(months.contains("COMPARE: both sides are single months of 'period': one scan of both months"))
        #expect(months.contains("WHERE period IN ('2025-05', '2025-06') GROUP BY region, period"))
        #expect(months.contains("aggregates: count(*), sum(churned), sum(churned_mrr), sum(mrr_start), second moments(churned_mrr, mrr_start)\n"))
        let compared = try Self.null.execute(
            "SELECT region, customers, logo_churn_rate, revenue_churn_rate FROM subscriptions GROUP BY region "
                + "COMPARE period = '2025-05' TO period = '2025-06'")
        let rows = try #require(months.components(separatedBy: "\n").first { $0.hasPrefix("rows: ") })
        let bothMonths = try Self.null.execute("SELECT count(*) FROM subscriptions WHERE period IN ('2025-05', '2025-06')").rows[0][0]
        #expect(rows.hasSuffix(" \(Thousands.grouped(Int(bothMonths.doubleValue ?? 0))) matched"))
        #expect(compared.rows.count == 4)

        let quarters = try #require(Self.null.execute(
            "EXPLAIN SELECT segment, logo_churn_rate FROM subscriptions WHERE region = 'emea' GROUP BY segment "
                + "COMPARE quarter = '2025-Q1' TO quarter = '2025-Q2'").text)
        #expect(quarters.contains("COMPARE: each side its own SELECT (below), then a scan of each side's rows for the moments of logo_churn_rate"))
        #expect(quarters.contains("WHERE region = 'emea' AND quarter = '2025-Q1' GROUP BY segment"))
        #expect(quarters.contains("WHERE region = 'emea' AND quarter = '2025-Q2' GROUP BY segment"))
    }
}

private func ValueTextOf(_ value: ResultValue) -> String {
    if case let .text(text) = value { return text }
    return "\(value)"
}
