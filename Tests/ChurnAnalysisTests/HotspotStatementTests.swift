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
        // NRR: lower is worse; the planted downsell in latam starter plans is the top hot-spot.
        let result = try Self.sample.execute("HOTSPOTS nrr BY region, plan, segment DEPTH 2 MIN SUPPORT 1000 LIMIT 5")
        let cells = Self.cells(result)
        let latamStarter = try #require(cells.firstIndex(of: "region = latam, plan = starter"), "\(cells)")
        #expect((Self.column("value", of: result)[latamStarter].doubleValue ?? 1) < (Self.column("baseline", of: result)[latamStarter].doubleValue ?? 0))
        #expect(Self.column("versus", of: result)[latamStarter] == .text("expected from region × plan"))
        // Support of a revenue rate is its denominator, MRR in cents, exactly as summed.
        let support = Self.column("support", of: result)[latamStarter]
        let summed = try Self.sample.execute("SELECT SUM(mrr_start) FROM subscriptions WHERE region = 'latam' AND plan = 'starter'")
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
