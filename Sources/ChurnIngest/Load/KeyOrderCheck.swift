/// Watches whether the rows of a load arrive already in the sort key's order, so that while
/// they do their chunks are compressed at once instead of after the sort.
struct KeyOrderCheck {
    /// Stored column of each key, and whether it orders by value (months) rather than by code.
    let slots: [Int]
    let byValue: [Bool]
    private var previous: [Int64]?

    init(slots: [Int], byValue: [Bool]) {
        self.slots = slots
        self.byValue = byValue
    }

    /// Whether the rows of `values` (per stored column) continue the key order of the rows before;
    /// `value(slot, code)` is a dimension code's text.
    mutating func accepts(_ values: [[Int64]], value: (Int, Int64) -> String) -> Bool {
        let rowCount = values.first?.count ?? 0
        guard rowCount > 0 else { return true }
        var last = previous ?? slots.map { values[$0][0] }
        for row in 0..<rowCount {
            // Compare the row's key with the previous row's, without building either.
            for (position, slot) in slots.enumerated() {
                let code = values[slot][row]
                if code == last[position] { continue }
                let before = byValue[position] ? value(slot, code) < value(slot, last[position]) : code < last[position]
                if before { return false }
                break
            }
            for (position, slot) in slots.enumerated() { last[position] = values[slot][row] }
        }
        previous = last
        return true
    }
}
