import ChurnAnalysis
import ChurnGenerator
import ChurnIngest
import ChurnModel
import ChurnQuery
import ChurnSyntax
import Foundation
import SparkTestSupport
import Testing

/// The statements that run on Spark give the in-memory engine's answers, row for row: generated
/// queries on the generated subscriptions (both row orders) and on the awkward data set, and
/// HOTSPOTS' findings with their statistics.
@Suite(.serialized, .enabled(if: SparkTestServer.isEnabled, SparkTestServer.skipReason))
struct SparkDifferentialTests {
    struct Comparison {
        var matched = 0
        var bothRefused = 0
        var differences: [String] = []
    }

    /// Runs each query on both engines; a query both refuse counts when the messages agree.
    static func compare(_ queries: [QueryPair], local: QueryEngine, remote: QueryEngine) -> Comparison {
        var comparison = Comparison()
        for (index, pair) in queries.enumerated() {
            let expected = Result { try local.execute(pair.churnCube) }
            let actual = Result { try remote.execute(pair.churnCube) }
            switch (expected, actual) {
            case let (.success(a), .success(b)):
                if let difference = DifferentialRun.compare(b.rows.map { $0.map(OracleValue.init) }, a.rows.map { $0.map(OracleValue.init) },
                                                            keyCount: pair.ordered ? 0 : (a.columns.count), ordered: pair.ordered) {
                    comparison.differences.append("query \(index) differs: \(difference)\n\(pair.churnCube)")
                } else if a.columns.map(\.name) != b.columns.map(\.name) {
                    comparison.differences.append("query \(index) columns \(b.columns.map(\.name)) vs \(a.columns.map(\.name))\n\(pair.churnCube)")
                } else {
                    comparison.matched += 1
                }
            case let (.failure(a), .failure(b)) where "\(a)" == "\(b)":
                comparison.bothRefused += 1
            case let (.failure(a), .failure(b)):
                comparison.differences.append("query \(index) fails differently: in memory \(a)\non Spark \(b)\n\(pair.churnCube)")
            case let (.failure(a), .success):
                comparison.differences.append("query \(index) fails in memory only: \(a)\n\(pair.churnCube)")
            case let (.success, .failure(b)):
                comparison.differences.append("query \(index) fails on Spark only: \(b)\n\(pair.churnCube)")
            }
        }
        return comparison
    }

    /// `count` generated queries on the in-memory cube and on Spark over the same CSV (as `view`),
    /// every difference recorded; each query must match or be refused alike.
    static func checkGenerated(_ count: Int, seed: UInt64, schema: DifferentialSchema, cube: Cube, csvPath: String,
                               view: String) async throws -> Comparison {
        let local = try QueryEngine(cube: cube)
        var generator = QueryGenerator(seed: seed, schema: schema)
        let queries = (0..<count).map { _ in generator.next() }
        let comparison = try await offCooperativePool {
            let remote = try SparkTestServer.engine(view: view, csvPath: csvPath, definition: cube.definition)
            return Self.compare(queries, local: local, remote: remote)
        }
        for difference in comparison.differences { Issue.record(Comment(rawValue: difference)) }
        #expect(comparison.matched + comparison.bothRefused == queries.count)
        return comparison
    }

    @Test(arguments: [(RowOrder.account, UInt64(31)), (RowOrder.period, UInt64(32))])
    func generatedQueriesMatchTheInMemoryEngine(order: RowOrder, querySeed: UInt64) async throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csvPath = directory + "/facts.csv"
        let bytes = FactGenerator(options: GeneratorOptions(rows: 6_000, seed: 5, order: order)).bytes()
        #expect(FileManager.default.createFile(atPath: csvPath, contents: Data(bytes)))
        var options = IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml"))
        options.rowGroupSize = 700
        let (cube, _) = try CSVLoader.load(path: csvPath, options: options)
        let schema = try DifferentialSchema(
            cube: cube, groupable: ["region", "channel", "segment", "plan", "tier", "usage_pattern", "country", "campaign",
                                    "period", "health", "industry", "cohort"],
            wideDimension: "account_id", rowKey: ["account_id", "period"],
            columnValues: DifferentialTests.sampleValues(String(decoding: bytes, as: UTF8.self)), seed: querySeed)
        let comparison = try await Self.checkGenerated(150, seed: querySeed, schema: schema, cube: cube, csvPath: csvPath, view: "subscriptions")
        #expect(comparison.matched > 120)
    }

    /// NULLs in every column, quotes, commas, line breaks, accents, CJK, emoji and padded members,
    /// near-2^63 facts.
    @Test func oddDataQueriesMatchTheInMemoryEngine() async throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let facts = OddFacts(seed: 99, accounts: 300)
        let csvPath = directory + "/odd.csv", cubePath = directory + "/odd.yaml"
        try facts.csv(order: .period, seed: 7).write(toFile: csvPath, atomically: false, encoding: .utf8)
        try OddFacts.definition(sort: "[account_id, period]").write(toFile: cubePath, atomically: false, encoding: .utf8)
        var options = IngestOptions(cubePath: cubePath)
        options.rowGroupSize = 64
        let (cube, _) = try CSVLoader.load(path: csvPath, options: options)
        var values: [String: [String]] = [:]
        for column in OddFacts.header { values[column] = facts.values(of: column) }
        let schema = try DifferentialSchema(
            cube: cube, groupable: ["region", "country", "channel", "segment", "plan", "period"],
            wideDimension: "account_id", rowKey: ["account_id", "period"], columnValues: values,
            extremeFacts: ["balance"], wideFacts: ["logins"], seed: 21)
        let comparison = try await Self.checkGenerated(200, seed: 21, schema: schema, cube: cube, csvPath: csvPath, view: "odd")
        #expect(comparison.matched > 150)
    }

    /// The CSV with the zero flows (churned, downsell, upsell and crosssell MRR) of every fourth
    /// row left blank: NRR's sums then skip NULLs of one column and count the row's others.
    static func blankingZeroFlows(of bytes: [UInt8]) -> String {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let flows = ["churned_mrr", "downsell_mrr", "upsell_mrr", "crosssell_mrr"].map { header.firstIndex(of: $0)! }
        for index in stride(from: 4, to: lines.count, by: 4) {
            var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for flow in flows where fields[flow] == "0.00" { fields[flow] = "" }
            lines[index] = fields.joined(separator: ",")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The statements beyond SELECT (HOTSPOTS, DRILL, PIVOT, COMPARE, WHY, TREND, PARETO, COHORT,
    /// BACKTEST, HEALTH, ALERTS) and `previous()` on Spark: the same rows in the same order, with
    /// the same statistics and captions.
    @Test func analysisStatementsMatchTheInMemoryEngine() async throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csvPath = directory + "/facts.csv"
        let bytes = FactGenerator(options: GeneratorOptions(rows: 40_000, seed: 9, order: .period)).bytes()
        #expect(FileManager.default.createFile(atPath: csvPath, contents: Data(Self.blankingZeroFlows(of: bytes).utf8)))
        let (cube, _) = try CSVLoader.load(path: csvPath, options: IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml")))
        let local = StatementRunner(engine: try QueryEngine(cube: cube))
        let blanks = try local.execute("SELECT COUNT(*) - COUNT(churned_mrr), COUNT(*) - COUNT(upsell_mrr) FROM subscriptions")
        #expect((blanks.rows[0][0].doubleValue ?? 0) > 5_000 && (blanks.rows[0][1].doubleValue ?? 0) > 5_000)
        let statements = [
            "HOTSPOTS logo_churn_rate BY channel, segment, region, plan DEPTH 2 MIN SUPPORT 200 LIMIT 20",
            "HOTSPOTS logo_churn_rate BY channel, campaign, region, country, usage_pattern DEPTH 3 MIN SUPPORT 100 LIMIT 25",
            "EXPLAIN HOTSPOTS revenue_churn_rate BY channel, campaign, region, health DEPTH 2 MIN SUPPORT 100",
            "HOTSPOTS nrr WHERE segment <> 'enterprise' BY tier, region, health DEPTH 2 MIN SUPPORT 100",
            "HOTSPOTS grr BY segment, usage_pattern, health DEPTH 2 MIN SUPPORT 100 VERSUS global BOTH",
            "DRILL nrr TO segment = 'smb' AND plan = 'starter'",
            "HOTSPOTS logo_churn_rate BY channel, region VERSUS global LIMIT 10",
            "DRILL logo_churn_rate TO channel = 'reseller' AND region = 'amer'",
            "PIVOT logo_churn_rate ROWS region COLUMNS segment",
            "SELECT region, logo_churn_rate, nrr FROM subscriptions GROUP BY region COMPARE period = '2024-06' TO period = '2024-05'",
            "SELECT segment, revenue_churn_rate FROM subscriptions GROUP BY ROLLUP(segment) COMPARE quarter = '2024-Q2' TO quarter = '2024-Q1'",
            "WHY logo_churn_rate CHANGED FROM '2024-03' TO '2024-09' BY region, segment, channel, plan DEPTH 2 LIMIT 10",
            "TREND logo_churn_rate BY segment LAST 12 MONTHS",
            "TREND nrr BY region",
            "PARETO mrr",
            "PARETO SUM(mrr_start) WHERE segment = 'smb' BY region",
            "PARETO mrr WHERE period >= '2024-07' BY channel",
            "SELECT segment, COUNT(*) AS n, SUM(previous(logins, 1)) AS p, AVG(avg_previous(mrr_start, 2)) AS m FROM subscriptions "
                + "WHERE logins < 0.75 * avg_previous(logins, 3) GROUP BY segment ORDER BY segment",
            "SELECT account_id, period, previous(mrr_start, 1), avg_previous(seats_active, 3), previous(churned, 2) FROM subscriptions "
                + "WHERE region = 'apac' AND period = '2024-06' ORDER BY account_id LIMIT 50",
            "BACKTEST WHEN renewal_due = 1 AND days_since_exec_contact > 15 HORIZON 3",
            "BACKTEST WHEN logins < 0.75 * avg_previous(logins, 3) HORIZON 2 WHERE region = 'emea' BY segment",
            "HEALTH",
            "HEALTH health HORIZON 6 WHERE segment = 'smb'",
            "HEALTH seat_utilization",
            "HEALTH logins HORIZON 2 WHERE region = 'apac'",
            "ALERTS",
            "ALERTS WHEN logins < 0.75 * avg_previous(logins, 3) AND days_since_user_contact > 30 AS OF '2025-06' LIMIT 20",
            "ALERTS renewal_without_exec, adoption_drop WHERE segment <> 'smb' ORDER BY account_id",
            "COHORT logo_retention",
            "COHORT revenue_retention BY segment MONTHS 6",
            "COHORT logo_churn_rate WHERE region = 'emea' BY quarter",
            "COHORT nrr BY channel MONTHS 3",
            "COHORT revenue_retention WHERE period >= '2024-04' BY year MONTHS 24",
        ]
        let results = try await offCooperativePool {
            let remote = StatementRunner(engine: try SparkTestServer.engine(view: "subscriptions", csvPath: csvPath, definition: cube.definition))
            return try statements.map { ($0, try local.execute(try Parser.parseStatement($0)), try remote.execute(try Parser.parseStatement($0))) }
        }
        for (statement, expected, actual) in results where !statement.hasPrefix("EXPLAIN") {
            #expect(!expected.rows.isEmpty, "\(statement)")
            #expect(actual.columns == expected.columns, "\(statement)")
            if let difference = DifferentialRun.compare(actual.rows.map { $0.map(OracleValue.init) }, expected.rows.map { $0.map(OracleValue.init) },
                                                        keyCount: 0, ordered: true) {
                Issue.record("\(statement): \(difference)")
            }
            // PARETO's caption carries the Gini coefficient, HEALTH's the order and the AUC,
            // ALERTS' the accounts flagged and the MRR at risk.
            if ["PARETO", "HEALTH", "ALERTS"].contains(where: statement.hasPrefix) { #expect(actual.text == expected.text, "\(statement)") }
            // COHORT's caption counts the accounts left out; its last part is the time taken.
            if statement.hasPrefix("COHORT") {
                #expect(actual.text?.components(separatedBy: "; ").dropLast() == expected.text?.components(separatedBy: "; ").dropLast(),
                        "\(statement)")
            }
        }
        // EXPLAIN tells where the moments came from: the account-cell statement sent to Spark.
        let explained = try #require(results.first { $0.0.hasPrefix("EXPLAIN") }?.2.text)
        #expect(explained.contains("SQL sent"), "\(explained)")
        #expect(explained.contains("GROUP BY k0, k1, k2, k3, k4"), "\(explained)")
    }
}
