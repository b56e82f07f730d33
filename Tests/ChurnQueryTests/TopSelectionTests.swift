import ChurnIngest
import Testing
@testable import ChurnQuery

@Suite struct TopSelectionTests {
    /// Streaming selection equals the first n of a full sort, ties broken by index, for every n.
    @Test(arguments: [0, 1, 2, 7, 50, 199, 200, 500])
    func firstNEqualsTheFullSortsFirstN(count: Int) {
        // Values with many ties.
        let values = (0..<200).map { Int64(($0 * 37) % 23) }
        func precedes(_ a: UnsafeBufferPointer<Int64>, _ i: Int, _ b: UnsafeBufferPointer<Int64>, _ j: Int) -> Bool {
            a[0] != b[0] ? a[0] > b[0] : i < j
        }
        let picked = TopSelection.first(count, of: values.count, width: 1, placeholder: 0,
                                        keys: { index, keys in keys[0] = values[index] }, by: precedes)
        let sorted = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        #expect(picked == Array(sorted.prefix(count)))
    }
}

@Suite struct DrillThroughOrderTests {
    /// Keeping the best rows while scanning gives what sorting every row gives, ties included.
    @Test(arguments: [
        "mrr_start DESC, account_id, period",
        "nps NULLS FIRST",
        "churned DESC",
        "region, mrr_end",
    ])
    func limitedOrderEqualsTheFullSortsSlice(order: String) throws {
        let engine = SampleCube.engine
        let all = try engine.execute("SELECT account_id, period, region, mrr_start, mrr_end, nps, churned FROM subscriptions ORDER BY \(order)")
        let limited = try engine.execute("SELECT account_id, period, region, mrr_start, mrr_end, nps, churned FROM subscriptions ORDER BY \(order) LIMIT 25 OFFSET 3")
        #expect(all.rows.count > 10_000)
        #expect(limited.rows == Array(all.rows[3..<28]))
        let plan = try engine.execute("EXPLAIN SELECT * FROM subscriptions ORDER BY \(order) LIMIT 25 OFFSET 3").text ?? ""
        #expect(plan.contains("the first 28 by ORDER BY kept while scanning"))
    }
}

@Suite struct ParallelDrillThroughTests {
    /// The sample in row groups of 2,000 rows: enough groups for a stretch per core.
    static let engine: QueryEngine = {
        var options = IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml"))
        options.rowGroupSize = 2_000
        let (cube, _) = try! CSVLoader.load(path: PackagePaths.path("Samples/subscriptions.csv.zst"), options: options)
        return try! QueryEngine(cube: cube)
    }()

    /// Stretches scanned in parallel give the rows in storage order, as the scan in order does
    /// (a LIMIT without ORDER BY reads the row groups in order on one thread), with the same
    /// counts; with ORDER BY and LIMIT each stretch keeps its own best rows and the slice matches.
    @Test func stretchesJoinInStorageOrder() throws {
        let engine = Self.engine
        let select = "SELECT account_id, period, region, mrr_start, churned FROM subscriptions WHERE churned = 1 OR nps < 3"
        let parallel = try engine.execute(select)
        let inOrder = try engine.execute(select + " LIMIT 100000000")
        #expect(parallel.rows.count > 4_000)
        #expect(parallel.rows == inOrder.rows)
        let plan = try engine.execute("EXPLAIN " + select).text ?? ""
        #expect(plan.contains("\(Thousands.grouped(parallel.rows.count)) matched"))
        // 100 row groups: a thread per core for at most one per 8 groups, 8 stretches per thread.
        let threads = min(activeProcessorCount(), 100 / 8)
        if threads > 1 { #expect(plan.contains("row groups in \(min(100 / 8, threads * 8)) stretches over \(threads) threads")) }

        let ordered = "SELECT account_id, period, mrr_start FROM subscriptions WHERE mrr_start > 0 ORDER BY mrr_start DESC"
        let all = try engine.execute(ordered)
        let slice = try engine.execute(ordered + " LIMIT 40 OFFSET 7")
        #expect(slice.rows == Array(all.rows[7..<47]))
    }
}
