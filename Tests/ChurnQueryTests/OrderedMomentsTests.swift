import ChurnAnalysis
import ChurnGenerator
import ChurnIngest
import ChurnSyntax
import Foundation
import Testing
@testable import ChurnQuery

/// Floating-point states (the second moments of COMPARE's, TREND's and WHY's tests, sums of
/// doubles) of a small grouping do not depend on how the row groups were shared among the
/// workers: the same bits on one worker as on several, so a statement answers the same on every
/// run.
@Suite struct OrderedMomentsTests {
    /// The sample cube in row groups of 2,048 rows (98 of them).
    static let engine: QueryEngine = {
        var options = IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml"))
        options.rowGroupSize = 2048
        return try! QueryEngine(cube: CSVLoader.load(path: PackagePaths.path("Samples/subscriptions.csv.zst"), options: options).0)
    }()

    /// Per occupied slot, the bit patterns of Σx², Σy², Σxy and of the double sum.
    static func states(workers: Int, filter: String?) throws -> [[UInt64]] {
        let engine = Self.engine
        let parts = try engine.ratioParts(of: try Parser.parseExpression("revenue_churn_rate"))
        let keys = try ["region", "segment"].map { try #require(engine.catalog.attribute(named: $0)) }
        var binder = PredicateBinder(catalog: engine.catalog)
        let predicate = try filter.map { try binder.bind(try Parser.parseExpression($0)) }
        let specs: [AggregateSpec] = [.sum(parts.numerator), .secondMoments(.approximate(parts.numerator), .approximate(parts.denominator)),
                                      .sum(.approximate(parts.denominator))]
        var scan = AggregationScan(store: engine.cube.store, catalog: engine.catalog, filter: predicate, keyAttributes: keys, specs: specs)
        scan.workerLimit = workers
        let (aggregation, statistics) = try scan.run(cancellation: .never)
        #expect(statistics.workers == workers)
        #expect(statistics.stretches == AggregationScan.orderedStretchCount)
        let moments = try #require(aggregation.aggregates[1] as? SecondMomentsAggregate)
        return aggregation.occupiedSlots.map { slot in
            let (xx, yy, xy) = moments.moments(slot: slot)
            let sum = aggregation.aggregates[2].doubleValue(slot: slot, rows: aggregation.rows[slot]) ?? .nan
            return [xx, yy, xy, sum].map(\.bitPattern)
        }
    }

    /// EXPLAIN says which states a scan keeps: per stretch for COMPARE's two months by region,
    /// per thread for a grouping of exact sums only.
    @Test func explainNamesTheStatesOfTheScan() throws {
        let compare = try StatementRunner(engine: Self.engine).execute(
            "EXPLAIN SELECT region, revenue_churn_rate FROM subscriptions GROUP BY region COMPARE period = '2025-05' TO period = '2025-06'")
        let compareLines = (compare.text ?? "").split(separator: "\n")
        #expect(compareLines.contains { $0.hasPrefix("aggregation: one scan grouped by (region, period)")
            && $0.hasSuffix("per stretch of row groups (16, floating-point sums added in stretch order)") })
        let plain = try Self.engine.execute("EXPLAIN SELECT region, SUM(mrr_start) FROM subscriptions GROUP BY region")
        #expect((plain.text ?? "").split(separator: "\n").contains { $0.hasPrefix("aggregation: ") && $0.hasSuffix(" per thread") })
    }

    /// A cube of no rows has no row group to cut into stretches: the scan gives no group.
    @Test func aCubeWithoutRowsScansToNoGroup() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-empty-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let facts = FactGenerator(options: GeneratorOptions(rows: 10, seed: 1, plantedEffects: false)).bytes()
        let header = facts.prefix(through: facts.firstIndex(of: UInt8(ascii: "\n"))!)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(header)))
        let engine = try QueryEngine(cube: CSVLoader.load(path: path, options: IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml"))).0)
        #expect(engine.cube.store.rowGroupCount == 0)
        let parts = try engine.ratioParts(of: try Parser.parseExpression("revenue_churn_rate"))
        let segment = try #require(engine.catalog.attribute(named: "segment"))
        let scan = AggregationScan(store: engine.cube.store, catalog: engine.catalog, filter: nil, keyAttributes: [segment],
                                   specs: [.secondMoments(.approximate(parts.numerator), .approximate(parts.denominator))])
        #expect(try scan.run(cancellation: .never).0.occupiedSlots.isEmpty)
        #expect(throws: QueryError.self) {
            try engine.execute("SELECT segment, revenue_churn_rate FROM subscriptions GROUP BY segment COMPARE quarter = '2025-Q1' TO quarter = '2025-Q2'")
        }
    }

    @Test(arguments: [nil, "period IN ('2025-05', '2025-06')", "segment <> 'smb'"])
    func theStatesAreTheSameOnAnyNumberOfWorkers(filter: String?) throws {
        #expect(Self.engine.cube.store.rowGroupCount > 16)
        let one = try Self.states(workers: 1, filter: filter)
        #expect(one.count > 4)
        for workers in [2, 3, 5] {
            #expect(try Self.states(workers: workers, filter: filter) == one, "\(workers) workers")
        }
    }
}
