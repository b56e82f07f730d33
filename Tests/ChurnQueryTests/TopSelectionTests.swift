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
