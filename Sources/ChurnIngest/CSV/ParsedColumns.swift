/// The values a block parser produces: one contiguous buffer of `Int64` per stored column, all
/// with room for the same number of rows.
///
/// Every accepted record stores exactly one value in every column, at its row number, so room is
/// checked once per record rather than once per field, and a record that turns out bad needs no
/// rollback: the next record simply overwrites its row.
final class ParsedColumns: @unchecked Sendable {
    let columnCount: Int
    private(set) var rowCapacity: Int
    private var storage: UnsafeMutablePointer<UnsafeMutablePointer<Int64>>

    init(columnCount: Int, rowCapacity: Int) {
        self.columnCount = columnCount
        self.rowCapacity = max(16, rowCapacity)
        storage = .allocate(capacity: max(1, columnCount))
        for slot in 0..<columnCount { storage[slot] = .allocate(capacity: self.rowCapacity) }
    }

    deinit {
        for slot in 0..<columnCount { storage[slot].deallocate() }
        storage.deallocate()
    }

    /// The buffer of column `slot`; valid while this object lives and until the next `reserve`.
    @inline(__always)
    func column(_ slot: Int) -> UnsafeMutablePointer<Int64> { storage[slot] }

    /// Makes room for row `row` in every column, doubling the buffers when needed.
    @inline(__always)
    func reserve(row: Int) {
        if row >= rowCapacity { grow(to: max(row + 1, rowCapacity * 2)) }
    }

    private func grow(to capacity: Int) {
        for slot in 0..<columnCount {
            let larger = UnsafeMutablePointer<Int64>.allocate(capacity: capacity)
            larger.update(from: storage[slot], count: rowCapacity)
            storage[slot].deallocate()
            storage[slot] = larger
        }
        rowCapacity = capacity
    }
}
