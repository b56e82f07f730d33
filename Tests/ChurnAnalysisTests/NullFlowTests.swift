@testable import ChurnAnalysis
import ChurnGenerator
import ChurnQuery
import ChurnSyntax
import Foundation
import Testing

/// A measure that adds several sums (NRR: SUM(mrr_start) − SUM(churned_mrr) − ... ) counts a row's
/// other columns when one of them is NULL, as SQL's SUMs do: an export that leaves a zero flow
/// blank says the same as one that writes 0.00.
@Suite(.serialized) struct NullFlowTests {
    static let flowColumns = ["churned_mrr", "downsell_mrr", "upsell_mrr", "crosssell_mrr"]

    /// Generated facts, and the same with every zero flow of enterprise rows and of every third
    /// other row left blank.
    static let written = String(decoding: FactGenerator(options: GeneratorOptions(rows: 120_000, seed: 7, plantedEffects: true)).bytes(),
                                as: UTF8.self)

    static let blank: String = {
        var lines = written.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let flows = flowColumns.map { header.firstIndex(of: $0)! }
        let segment = header.firstIndex(of: "segment")!
        for index in 1..<lines.count {
            var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields[segment] == "enterprise" || index % 3 == 0 else { continue }
            for flow in flows where fields[flow] == "0.00" { fields[flow] = "" }
            lines[index] = fields.joined(separator: ",")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Runs `body` with both exports written to files: (written, blank).
    static func withFiles<R>(_ body: (String, String) throws -> R) throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-null-flows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let writtenPath = directory.appendingPathComponent("written.csv").path
        let blankPath = directory.appendingPathComponent("blank.csv").path
        try Data(written.utf8).write(to: URL(fileURLWithPath: writtenPath))
        try Data(blank.utf8).write(to: URL(fileURLWithPath: blankPath))
        return try body(writtenPath, blankPath)
    }

    static let runners: (written: StatementRunner, blank: StatementRunner) = try! withFiles { written, blank in
        (try HotspotStatementTests.engine(csv: written), try HotspotStatementTests.engine(csv: blank))
    }

    /// The statement's answer on the written export and on the blank one.
    static func onBoth(_ statement: String) throws -> (written: QueryResult, blank: QueryResult) {
        (try runners.written.execute(statement), try runners.blank.execute(statement))
    }

    @Test func theBlankExportHoldsNullsWhereTheWrittenOneHoldsZeros() throws {
        let nulls = try Self.runners.blank.execute("SELECT COUNT(*) - COUNT(churned_mrr), COUNT(*) - COUNT(upsell_mrr) FROM subscriptions")
        #expect((nulls.rows[0][0].doubleValue ?? 0) > 30_000)
        #expect((nulls.rows[0][1].doubleValue ?? 0) > 30_000)
        let written = try Self.runners.written.execute("SELECT COUNT(*) - COUNT(churned_mrr) FROM subscriptions")
        #expect(written.rows[0][0].doubleValue == 0)
    }

    @Test func hotspotsOfASumOfSumsAreTheSameWithZerosLeftBlank() throws {
        for statement in ["HOTSPOTS nrr BY segment, region, plan, usage_pattern DEPTH 2 MIN SUPPORT 1000 BOTH",
                          "HOTSPOTS nrr BY segment, region, plan DEPTH 2 MIN SUPPORT 1000 VERSUS global BOTH",
                          "HOTSPOTS grr BY segment, region, plan, usage_pattern DEPTH 2 MIN SUPPORT 1000 VERSUS global"] {
            let (written, blank) = try Self.onBoth(statement)
            #expect(!written.rows.isEmpty, "\(statement) finds nothing to compare")
            #expect(blank.rows == written.rows, "\(statement): \(HotspotStatementTests.cells(blank)) against \(HotspotStatementTests.cells(written))")
        }
    }

    @Test func aHotspotsValueIsTheSelectsValueOfItsCell() throws {
        let result = try Self.runners.blank.execute("HOTSPOTS nrr BY segment, region, plan DEPTH 2 MIN SUPPORT 1000 VERSUS global BOTH LIMIT 20")
        let cells = HotspotStatementTests.cells(result)
        let values = HotspotStatementTests.column("value", of: result)
        #expect(!cells.isEmpty)
        for (cell, value) in zip(cells, values) {
            let condition = cell.split(separator: ", ").map { term in
                let parts = term.split(separator: " = ", maxSplits: 1)
                return "\(parts[0]) = '\(parts[1])'"
            }.joined(separator: " AND ")
            let selected = try Self.runners.blank.execute("SELECT nrr FROM subscriptions WHERE \(condition)")
            let expected = try #require(selected.rows.first?.first?.doubleValue)
            #expect(abs((value.doubleValue ?? .nan) - expected) < 1e-12, "\(cell): \(value) against \(expected)")
        }
    }

    /// Each cell's Σx / Σy of a ratio statement is the SELECT's value of the measure there, for
    /// sums of sums whose SUMs hold a NULL-making difference of their own (a row of blank
    /// churned_mrr drops out of that SUM only) or a COUNT.
    @Test(arguments: ["nrr", "(SUM(mrr_start - churned_mrr) + SUM(upsell_mrr)) / SUM(mrr_start)",
                      "(COUNT(churned_mrr) - SUM(churned)) / (COUNT(*) + 2 * COUNT(upsell_mrr))"])
    func theMomentsOfEachCellAreTheSelectsValue(measure: String) throws {
        let engine = Self.runners.blank.engine
        let parts = try engine.ratioParts(of: try Parser.parseExpression(measure))
        let segment = try #require(engine.catalog.attribute(named: "segment"))
        let moments = try engine.moments(of: parts, by: [segment], filter: nil, cubeName: nil, cancellation: .never)
        let selected = try Self.runners.blank.execute("SELECT segment, \(measure) FROM subscriptions GROUP BY segment ORDER BY segment")
        #expect(moments.cells.count == 3 && selected.rows.count == 3)
        let rates = Dictionary(uniqueKeysWithValues: moments.cells.map { cell in
            (segment.dictionary.value(of: cell.codes[0]) ?? "", cell.x / cell.y)
        })
        for row in selected.rows {
            guard case let .text(member) = row[0] else { Issue.record("segment \(row[0])"); continue }
            let rate = try #require(rates[member]), expected = try #require(row[1].doubleValue)
            #expect(abs(rate - expected) < 1e-12, "\(member): \(rate) against \(expected)")
        }
    }

    @Test func drillWhyAndTrendAreTheSameWithZerosLeftBlank() throws {
        for statement in ["DRILL nrr FROM subscriptions TO segment = 'enterprise' AND plan = 'starter' AND region = 'emea'",
                          "WHY nrr CHANGED FROM '2024-05' TO '2024-06' BY segment, region, plan",
                          "TREND grr BY segment LAST 12 MONTHS"] {
            let (written, blank) = try Self.onBoth(statement)
            // WHY shows the cells that changed significantly, none here: its total change is in the details.
            #expect(!written.rows.isEmpty || !written.details.isEmpty, "\(statement)")
            #expect(blank.rows == written.rows, "\(statement)")
            #expect(blank.details == written.details, "\(statement)")
        }
    }

    @Test func trendOfNRRMatchesDuckDBsSumsOnTheBlankExport() throws {
        let trend = try Self.runners.blank.execute("TREND nrr BY segment LAST 6 MONTHS")
        let sql = """
            WITH r AS (SELECT segment, period,
                              (sum(mrr_start) - sum(churned_mrr) - sum(downsell_mrr) + sum(upsell_mrr) + sum(crosssell_mrr)) / sum(mrr_start) AS rate
                       FROM facts GROUP BY ALL),
            w AS (SELECT * FROM r WHERE period > (SELECT strftime(CAST(max(period) || '-01' AS DATE) - INTERVAL 6 MONTH, '%Y-%m') FROM r))
            SELECT segment, arg_max(rate, period) AS latest, arg_max(rate, period) - arg_min(rate, period) AS change, count(*) AS months
            FROM w GROUP BY segment ORDER BY segment
            """
        let answers = try Self.withFiles { _, blank in try TimeDifferentialTests.duckDB(csv: blank, queries: [sql]) }
        let members = Array(trend.rows.dropFirst())
        #expect(members.count == answers[0].count && members.count == 3)
        for (row, expected) in zip(members, answers[0]) {
            #expect(row[0] == .text(expected[0] as! String))
            #expect(expected[3] as! Double == 6)
            for (column, index) in [(2, 1), (3, 2)] {
                let mine = row[column].doubleValue ?? .nan, theirs = expected[index] as! Double
                #expect(abs(mine - theirs) <= 1e-9, "TREND nrr \(row[0]) column \(column): \(mine) vs \(theirs)")
            }
        }
    }

    /// The flows a numerator is fitted by add up to it in every cell: a SUM of a difference is
    /// one flow (its row drops out where either side is NULL), a column's SUM another.
    @Test(arguments: ["nrr", "(SUM(mrr_start - churned_mrr) + SUM(upsell_mrr)) / SUM(mrr_start)"])
    func theFlowsAddUpToTheNumeratorInEveryCell(measure: String) throws {
        let engine = Self.runners.blank.engine
        let parts = try engine.ratioParts(of: try Parser.parseExpression(measure))
        let flows = try #require(HotspotQuery.numeratorFlows(parts))
        let attributes = try ["segment", "region", "plan"].map { try #require(engine.catalog.attribute(named: $0)) }
        let moments = try engine.moments(of: parts, by: attributes, filter: nil, cubeName: nil,
                                         sums: flows.terms.map(\.expression), cancellation: .never)
        let split = HotspotQuery.hotspotFlows(flows, of: moments)
        #expect(split.names == (measure == "nrr" ? ["churned_mrr", "downsell_mrr", "upsell_mrr", "crosssell_mrr"]
                                                  : ["(mrr_start - churned_mrr)", "upsell_mrr"]))
        #expect(moments.cells.count > 20)
        for (index, cell) in moments.cells.enumerated() {
            let added = split.denominatorCoefficient * cell.y + zip(split.coefficients, split.sums).reduce(0) { $0 + $1.0 * $1.1[index] }
            #expect(abs(added - cell.x) <= 1e-6 * max(1, abs(cell.x)), "cell \(cell.codes): flows \(added) against \(cell.x)")
        }
    }
}
