import ChurnGenerator
import ChurnIngest
import ChurnQuery
import Foundation
import Testing

/// Generated queries run on ChurnCube and on DuckDB over the same CSV, every row compared: on the
/// generated subscriptions, and on a data set made of odd members, NULLs and extreme values,
/// in both row orders, with several sort keys and tiny row groups.
@Suite(.serialized) struct DifferentialTests {
    /// Both row orders of the export, and row groups small enough that pruning, whole-group
    /// matches and the merge of many partial groups all occur.
    @Test(arguments: [(RowOrder.account, 4096, UInt64(2026)), (RowOrder.period, 700, UInt64(4242))])
    func subscriptionQueriesMatchDuckDB(order: RowOrder, rowGroupSize: Int, querySeed: UInt64) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csvPath = directory + "/facts.csv"
        let bytes = FactGenerator(options: GeneratorOptions(rows: 10_000, seed: 7, order: order)).bytes()
        #expect(FileManager.default.createFile(atPath: csvPath, contents: Data(bytes)))

        var options = IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml"))
        options.rowGroupSize = rowGroupSize
        let (cube, _) = try CSVLoader.load(path: csvPath, options: options)
        let schema = try DifferentialSchema(
            cube: cube, groupable: ["region", "channel", "segment", "plan", "tier", "usage_pattern", "country", "campaign",
                                    "period", "health", "industry", "cohort"],
            wideDimension: "account_id", rowKey: ["account_id", "period"],
            columnValues: Self.sampleValues(String(decoding: bytes, as: UTF8.self)), seed: querySeed)
        let run = try DifferentialRun(engine: try QueryEngine(cube: cube), csv: csvPath, schema: schema, seed: querySeed, count: 400)
        for difference in run.differences { Issue.record(Comment(rawValue: difference)) }
        #expect(run.compared == 400)
    }

    /// The odd data set in both row orders, sorted by account, kept in input order, sorted by a
    /// dimension full of NULLs and odd members, and by the automatic key; row groups of 64 and
    /// 700 rows.
    @Test(arguments: [(RowOrder.account, 64, "[account_id, period]", UInt64(11)),
                      (RowOrder.period, 700, "none", UInt64(12)),
                      (RowOrder.period, 64, "[region, period]", UInt64(13)),
                      (RowOrder.account, 700, "automatic", UInt64(14))])
    func oddDataQueriesMatchDuckDB(order: RowOrder, rowGroupSize: Int, sort: String, querySeed: UInt64) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let facts = OddFacts(seed: 99, accounts: 450)
        let csvPath = directory + "/odd.csv", cubePath = directory + "/odd.yaml"
        try facts.csv(order: order, seed: querySeed).write(toFile: csvPath, atomically: false, encoding: .utf8)
        try OddFacts.definition(sort: sort).write(toFile: cubePath, atomically: false, encoding: .utf8)

        var options = IngestOptions(cubePath: cubePath)
        options.rowGroupSize = rowGroupSize
        let (cube, report) = try CSVLoader.load(path: csvPath, options: options)
        #expect(report.rowCount == facts.rows.count)
        var values: [String: [String]] = [:]
        for column in OddFacts.header { values[column] = facts.values(of: column) }
        let schema = try DifferentialSchema(
            cube: cube, groupable: ["region", "country", "channel", "segment", "plan", "period"],
            wideDimension: "account_id", rowKey: ["account_id", "period"], columnValues: values,
            extremeFacts: ["balance"], wideFacts: ["logins"], seed: querySeed)
        let run = try DifferentialRun(engine: try QueryEngine(cube: cube), csv: csvPath, schema: schema, seed: querySeed, count: 700)
        for difference in run.differences { Issue.record(Comment(rawValue: difference)) }
        #expect(run.compared == 700)
        // Both engines refuse some overflows and ChurnCube some sums past 64 bits, by design of
        // the data; most queries answer.
        #expect(run.matched > 600)
        #expect(run.bothRefused > 0)
        #expect(run.sumsPastSixtyFourBits > 0)
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-diff-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Values of every column of a CSV without quoted fields, from every 50th row.
    static func sampleValues(_ text: String) -> [String: [String]] {
        let lines = text.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var values: [String: [String]] = [:]
        for line in lines.dropFirst().enumerated().filter({ $0.offset % 50 == 0 }).map(\.element) {
            for (name, field) in zip(header, line.split(separator: ",", omittingEmptySubsequences: false)) where !field.isEmpty {
                values[name, default: []].append(String(field))
            }
        }
        return values
    }
}
