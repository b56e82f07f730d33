/// The finest cells of one period as flat codes and moments, for sums over any conjunction of
/// conditions, optionally leaving out cells already accounted for.
struct FinestRows {
    let width: Int
    let codes: [UInt32]
    let moments: [Moments]

    init(cells: [HotspotCell]) {
        width = cells.first?.key.count ?? 0
        codes = cells.flatMap(\.key)
        moments = cells.map(\.moments)
    }

    var count: Int { moments.count }

    private func matches(_ cell: Int, _ conditions: [HotspotCondition]) -> Bool {
        conditions.allSatisfy { codes[cell * width + $0.dimension] == $0.code }
    }

    func sum(matching conditions: [HotspotCondition], excluding covered: [Bool]?) -> Moments {
        var total = Moments.zero
        for cell in 0..<count where covered?[cell] != true && matches(cell, conditions) { total += moments[cell] }
        return total
    }

    func mark(matching conditions: [HotspotCondition], in covered: inout [Bool]) {
        for cell in 0..<count where matches(cell, conditions) { covered[cell] = true }
    }
}
