import ChurnAnalysis
import ChurnGenerator
import ChurnIngest
import ChurnQuery
import Foundation
import Testing

/// HOTSPOTS end to end: statement text through the engine's scan to ranked findings, on the
/// bundled sample (planted effects) and on generated data without effects.
@Suite(.serialized) struct HotspotStatementTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func engine(csv: String) throws -> StatementRunner {
        let options = IngestOptions(cubePath: root.appendingPathComponent("Cubes/subscriptions.yaml").path)
        let (cube, _) = try CSVLoader.load(path: csv, options: options)
        return StatementRunner(engine: try QueryEngine(cube: cube))
    }

    static let sample: StatementRunner = try! engine(csv: root.appendingPathComponent("Samples/subscriptions.csv.zst").path)

    static func cells(_ result: QueryResult) -> [String] {
        result.rows.map { row in
            if case let .text(cell) = row[0] { return cell }
            return ""
        }
    }

    /// The values of the column named `name`.
    static func column(_ name: String, of result: QueryResult) -> [ResultValue] {
        guard let index = result.columns.firstIndex(where: { $0.name == name }) else { return [] }
        return result.rows.map { $0[index] }
    }

    static func impacts(_ result: QueryResult) -> [Double] { column("impact", of: result).map { $0.doubleValue ?? .nan } }

    @Test func plantedEffectsComeOutOnTopInOrderOfImpact() throws {
        let result = try Self.sample.execute("""
            HOTSPOTS logo_churn_rate FROM subscriptions
            BY channel, campaign, segment, industry, region, country, plan, usage_pattern
            DEPTH 3 MIN SUPPORT 500 VERSUS expected LIMIT 20
            """)
        let cells = Self.cells(result)
        // The planted main effects at depth 1.
        for planted in ["usage_pattern = dormant", "usage_pattern = light", "segment = smb", "channel = reseller"] {
            #expect(cells.contains(planted), "missing \(planted) in \(cells)")
        }
        #expect(Array(cells.prefix(2)).sorted() == ["usage_pattern = dormant", "usage_pattern = light"])
        // The planted interactions at depth 2, against what their parts predict.
        #expect(cells.contains("channel = reseller, country = US"))
        #expect(cells.contains("industry = healthcare, usage_pattern = light"))
        // Independent main effects are not reported as interactions.
        #expect(!cells.contains { $0.contains("segment = smb") && $0.contains("usage_pattern = dormant") })
        // A level is never paired with its own hierarchy parent.
        #expect(!cells.contains { $0.contains("region = ") && $0.contains("country = ") })
        #expect(!cells.contains { $0.contains("channel = ") && $0.contains("campaign = ") })
        // Ranked by impact, minimum support enforced, every finding significant.
        let impacts = Self.impacts(result)
        #expect(impacts == impacts.sorted(by: >))
        #expect(Self.column("support", of: result).allSatisfy { ($0.doubleValue ?? 0) >= 500 })
        #expect(Self.column("q", of: result).allSatisfy { ($0.doubleValue ?? 1) <= 0.05 })
        // Bars draw impact; the cell's conditions are a column per searched dimension too.
        let names = result.columns.map(\.name)
        #expect(names == ["cell", "channel", "campaign", "segment", "industry", "region", "country", "plan", "usage_pattern",
                          "support", "value", "baseline", "versus", "lift", "impact", "q", "reading"])
        #expect(result.presentation == .findings(FindingsLayout(cellColumn: 0, conditionColumns: 1..<9, barColumn: 14, readingColumn: 16)))
        let reseller = try #require(result.rows.first { $0[0] == .text("channel = reseller, country = US") })
        #expect(Array(reseller[1..<9]) == [.text("reseller"), .subtotal, .subtotal, .subtotal, .subtotal, .text("US"), .subtotal, .subtotal])
        #expect(result.details.map(\.name) == ["reported", "significant", "tested"])
    }

    @Test func parentBaselineNamesTheParent() throws {
        let result = try Self.sample.execute("HOTSPOTS logo_churn_rate BY channel, usage_pattern DEPTH 2 VERSUS parent BOTH LIMIT 50")
        let labels = Self.column("versus", of: result).compactMap { value -> String? in if case let .text(label) = value { return label }; return nil }
        #expect(labels.contains("average"))
        #expect(labels.contains { $0.hasSuffix(" average") && $0 != "average" })
        // Both directions: a cold-spot (better than its baseline) is reported too.
        #expect(Self.column("lift", of: result).contains { ($0.doubleValue ?? 0) < 0 })
    }

    @Test func revenueMeasuresAreJudgedAsRatiosOfSums() throws {
        // NRR: lower is worse. The planted downsell in latam starter plans (371 accounts of the
        // 200,000 rows, few of them by MRR) is too little evidence for NRR as a whole, against
        // what region and plan predict or against the average; the downsell lever shows it
        // (below). Dormant accounts, which churn more, lower NRR against the average.
        let expected = try Self.sample.execute("HOTSPOTS nrr BY region, plan, segment DEPTH 2 MIN SUPPORT 1000 LIMIT 5")
        #expect(Self.cells(expected).isEmpty)
        let global = try Self.sample.execute("HOTSPOTS nrr BY region, plan, segment DEPTH 2 MIN SUPPORT 1000 VERSUS global LIMIT 5")
        #expect(Self.cells(global).isEmpty)
        let result = try Self.sample.execute("HOTSPOTS nrr BY region, plan, segment, usage_pattern DEPTH 2 MIN SUPPORT 1000 VERSUS global LIMIT 5")
        let cells = Self.cells(result)
        let dormant = try #require(cells.firstIndex(of: "usage_pattern = dormant"), "\(cells)")
        #expect((Self.column("value", of: result)[dormant].doubleValue ?? 1) < (Self.column("baseline", of: result)[dormant].doubleValue ?? 0))
        #expect(Self.column("versus", of: result)[dormant] == .text("average"))
        // Support of a revenue rate is its denominator, MRR in cents, exactly as summed.
        let support = Self.column("support", of: result)[dormant]
        let summed = try Self.sample.execute("SELECT SUM(mrr_start) FROM subscriptions WHERE usage_pattern = 'dormant'")
        #expect(support == summed.rows[0][0])
        guard case .decimal(_, scale: 2) = support else { Issue.record("support \(support) is not in cents"); return }
        #expect(Self.column("impact", of: result).allSatisfy { if case .decimal(_, scale: 2) = $0 { return true }; return false })
        // The same cell seen through the downsell lever, where higher is worse.
        let downsell = try Self.sample.execute("HOTSPOTS downsell_rate BY region, plan DEPTH 2")
        let downsellCells = Self.cells(downsell)
        #expect(downsellCells.contains("region = latam, plan = starter"))
        #expect(Self.column("lift", of: downsell).allSatisfy { ($0.doubleValue ?? 0) > 0 })
    }

    @Test func noEffectsMeansNoHotspots() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-null-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("null.csv").path
        let bytes = FactGenerator(options: GeneratorOptions(rows: 200_000, seed: 42, plantedEffects: false)).bytes()
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let engine = try Self.engine(csv: path)
        let result = try engine.execute("HOTSPOTS logo_churn_rate BY channel, campaign, segment, industry, region, country, plan, usage_pattern")
        #expect(result.rows.count <= 1, "\(Self.cells(result))")
    }

    @Test func explainShowsTheSearch() throws {
        let result = try Self.sample.execute("EXPLAIN HOTSPOTS logo_churn_rate BY channel, segment, region, country DEPTH 3")
        let text = result.text ?? ""
        for line in ["dimensions searched: channel, segment, region, country", "cells enumerated:", "pruned by support:", "tested:",
                     "significant:", "pruned as redundant:", "reported:", "a proportion (two-proportion tests)"] {
            #expect(text.contains(line), "missing '\(line)' in\n\(text)")
        }
    }

    @Test func explainNamesTheFlowsOfANumeratorFittedOneByOne() throws {
        let nrr = try Self.sample.execute("EXPLAIN HOTSPOTS nrr BY segment, usage_pattern DEPTH 2").text ?? ""
        #expect(nrr.contains("the numerator fitted flow by flow: churned_mrr, downsell_mrr, upsell_mrr, crosssell_mrr"), "\(nrr)")
        // A numerator of one column is fitted as it is.
        let churn = try Self.sample.execute("EXPLAIN HOTSPOTS revenue_churn_rate BY segment, usage_pattern DEPTH 2").text ?? ""
        #expect(churn.contains("baselines: ") && !churn.contains("flow by flow"), "\(churn)")
    }

    @Test func drillPathShowsWhereTheDeviationEnters() throws {
        let result = try Self.sample.execute("DRILL logo_churn_rate TO country = 'US' AND channel = 'reseller'")
        #expect(Self.cells(result) == ["all rows", "country = 'US'", "channel = 'reseller'"])
        let values = result.rows.map { $0[1].doubleValue ?? 0 }
        #expect(values[2] > values[1] * 1.3)
        // A rate changes by points: the difference of the ratios.
        #expect(result.columns.map(\.name) == ["step", "logo_churn_rate", "rows", "change", "expected"])
        #expect(result.columns[3].format == .points)
        #expect(Self.column("change", of: result)[0] == .null)
        #expect(abs((Self.column("change", of: result)[2].doubleValue ?? 0) - (values[2] - values[1])) < 1e-12)
    }

    @Test func drillShowsTheBaselineThatMadeTheCellHot() throws {
        let drill = try Self.sample.execute("DRILL logo_churn_rate TO country = 'US' AND channel = 'reseller'")
        let expected = Self.column("expected", of: drill).map(\.doubleValue)
        let search = try Self.sample.execute("HOTSPOTS logo_churn_rate BY channel, country DEPTH 2 MIN SUPPORT 500 VERSUS expected")
        let cell = try #require(Self.cells(search).firstIndex(of: "channel = reseller, country = US"))
        let baseline = try #require(Self.column("baseline", of: search)[cell].doubleValue)
        let average = try #require(drill.rows[0][1].doubleValue)
        #expect(expected[0] == nil)
        #expect(abs((expected[1] ?? 0) - average) < 1e-12)
        #expect(abs((expected[2] ?? 0) - baseline) < 1e-9)
        #expect(drill.text == "expected: the baseline HOTSPOTS judges each step against")
        // Within a slice, and for a member that does not exist (no rows, no expectation).
        let sliced = try Self.sample.execute("DRILL nrr WHERE segment = 'smb' TO tier = 'tier2' AND region = 'nowhere'")
        #expect(Self.column("expected", of: sliced).map(\.isNull) == [true, false, true])
        // A measure that is no ratio of sums keeps the steps alone, changing relatively.
        let accounts = try Self.sample.execute("DRILL accounts TO tier = 'tier1'")
        #expect(accounts.columns.map(\.name) == ["step", "accounts", "rows", "change"])
        #expect(accounts.columns[3].format == .percent)
    }

    @Test func aFilterOnAValueThatIsNoMemberWarns() throws {
        let result = try Self.sample.execute("HOTSPOTS logo_churn_rate WHERE plan = 'Pro' BY region, segment")
        #expect(result.rows.isEmpty)
        #expect(result.warnings.map { "\($0.message); \($0.hint ?? "")" } == ["plan has no member 'Pro'; did you mean 'pro'?"])
        #expect(result.warnings.first?.severity == .warning)
        let explained = try Self.sample.execute("EXPLAIN HOTSPOTS logo_churn_rate WHERE plan = 'Pro' BY region")
        #expect(explained.warnings.map(\.message) == ["plan has no member 'Pro'"])
    }

    @Test func refusalsNameWhatIsAcceptedAndWhy() throws {
        let ratios = "logo_churn_rate, cancellation_rate, renewal_rate, revenue_churn_rate, downsell_rate, upsell_rate, "
            + "crosssell_rate, grr, nrr, seat_utilization, avg_nps, tickets_per_account"
        let cases: [(String, String)] = [
            ("HOTSPOTS mrr BY channel",
             "'mrr' is semi-additive: a level over period (the last period's value in each cell), not a rate; HOTSPOTS takes a ratio measure: \(ratios)"),
            ("HOTSPOTS accounts BY channel", "'accounts' (COUNT(DISTINCT account_id)) is not a ratio of sums; HOTSPOTS takes a ratio measure: \(ratios)"),
            ("HOTSPOTS region BY channel", "'region' is not a measure; HOTSPOTS takes a ratio measure: \(ratios)"),
            ("HOTSPOTS logo_churn_rate BY segment, region, Segment", "BY names 'Segment' twice; each dimension is searched once"),
        ]
        for (statement, message) in cases {
            do {
                _ = try Self.sample.execute(statement)
                Issue.record("expected an error: \(statement)")
            } catch {
                #expect("\(error)" == message)
            }
        }
        #expect(Self.sample.engine.ratioMeasureNames.joined(separator: ", ") == ratios)
    }

    @Test func aSearchThatTestsNothingSaysWhy() throws {
        let result = try Self.sample.execute("HOTSPOTS logo_churn_rate BY account_id")
        #expect(result.rows.isEmpty)
        #expect(result.warnings.map(\.text) == [
            "no cell reaches the minimum support of 500; the largest, account_id = A0000003, has 36; "
                + "lower MIN SUPPORT, widen WHERE or search BY coarser dimensions",
        ])
        // Money denominators keep their cents.
        let revenue = try Self.sample.execute("HOTSPOTS nrr BY account_id MIN SUPPORT 1000000000")
        #expect(revenue.warnings.first?.message.hasPrefix("no cell reaches the minimum support of 1,000,000,000; the largest, account_id = ") == true)
        // A search that tests cells warns of nothing.
        #expect(try Self.sample.execute("HOTSPOTS logo_churn_rate BY segment").warnings.isEmpty)
    }

    @Test func aLongSearchStopsSoonAfterItIsCancelled() throws {
        // Depth 4 over every dimension takes tens of seconds here; cancelled in each phase, it stops at once.
        let runner = Self.sample  // loaded before the clock starts
        for wait in [0.05, 0.6, 2.0] {
            let cancellation = Cancellation()
            let started = ContinuousClock.now
            nonisolated(unsafe) var cancelledAt: ContinuousClock.Instant?
            let canceller = Thread {
                Thread.sleep(forTimeInterval: wait)
                cancelledAt = ContinuousClock.now
                cancellation.cancel()
            }
            canceller.start()
            #expect(throws: QueryError.cancelled) {
                try runner.execute("HOTSPOTS logo_churn_rate BY * DEPTH 4 MIN SUPPORT 1", cancellation: cancellation)
            }
            let stopped = ContinuousClock.now
            while !canceller.isFinished { Thread.sleep(forTimeInterval: 0.001) }
            let delay = stopped - (cancelledAt ?? started)
            #expect(delay < .seconds(1), "cancelled after \(wait) s, stopped \(delay) later")
        }
        // A search cancelled before it starts does no work.
        let cancelled = Cancellation()
        cancelled.cancel()
        #expect(throws: QueryError.cancelled) {
            try HotspotSearch(input: GeneratedFacts.planted.churnInput, cancellation: cancelled).run()
        }
    }

    @Test func measuresThatAreNotRatiosAreRefused() {
        #expect(throws: QueryError.self) { try Self.sample.execute("HOTSPOTS accounts BY channel") }
        #expect(throws: QueryError.self) { try Self.sample.execute("HOTSPOTS mrr BY channel") }
        do {
            _ = try Self.sample.execute("HOTSPOTS logo_churn_rate BY chanel")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "unknown dimension 'chanel'; did you mean 'channel'?")
        }
    }
}
