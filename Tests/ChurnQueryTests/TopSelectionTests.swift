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
