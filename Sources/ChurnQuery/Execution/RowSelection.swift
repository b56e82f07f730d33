import ChurnStorage

/// The rows of a row group that are still selected: every row, or an ascending list of row
/// numbers in a buffer of the `SelectionPool` that made it.
struct RowSelection {
    /// nil: every row of the row group.
    var rows: UnsafeMutablePointer<Int32>?
    var count: Int

    static func all(_ rowCount: Int) -> RowSelection { RowSelection(rows: nil, count: rowCount) }

    var isAll: Bool { rows == nil }

    /// The listed rows; nil when every row is selected.
    var buffer: UnsafeBufferPointer<Int32>? { rows.map { UnsafeBufferPointer(start: $0, count: count) } }
}

/// Buffers for row selections, reused from one row group to the next. One per worker thread.
final class SelectionPool {
    private var free: [UnsafeMutablePointer<Int32>] = []
    private var all: [UnsafeMutablePointer<Int32>] = []

    deinit { for buffer in all { buffer.deallocate() } }

    func take() -> UnsafeMutablePointer<Int32> {
        if let buffer = free.popLast() { return buffer }
        let buffer = UnsafeMutablePointer<Int32>.allocate(capacity: ColumnChunk.maximumRowCount)
        all.append(buffer)
        return buffer
    }

    func release(_ selection: RowSelection) {
        if let rows = selection.rows { free.append(rows) }
    }

    /// An empty list.
    func none() -> RowSelection { RowSelection(rows: take(), count: 0) }

    /// The rows `body` accepts, among `candidates`; `body` sees each candidate row number once,
    /// in order. Branch-free: the row is written, and kept by advancing when accepted.
    @inline(__always)
    func filter(_ candidates: RowSelection, _ body: (Int) -> Bool) -> RowSelection {
        let output = take()
        var kept = 0
        if let rows = candidates.rows {
            for index in 0..<candidates.count {
                let row = rows[index]
                output[kept] = row
                kept += body(Int(row)) ? 1 : 0
            }
        } else {
            for row in 0..<candidates.count {
                output[kept] = Int32(truncatingIfNeeded: row)
                kept += body(row) ? 1 : 0
            }
        }
        return RowSelection(rows: output, count: kept)
    }

    /// Rows in either ascending list.
    func union(_ a: RowSelection, _ b: RowSelection, rowCount: Int) -> RowSelection {
        if a.isAll || b.isAll { return .all(rowCount) }
        let output = take()
        var (i, j, kept) = (0, 0, 0)
        let (x, y) = (a.rows!, b.rows!)
        while i < a.count || j < b.count {
            let next: Int32
            if j >= b.count || (i < a.count && x[i] < y[j]) { next = x[i]; i += 1 }
            else if i >= a.count || y[j] < x[i] { next = y[j]; j += 1 }
            else { next = x[i]; i += 1; j += 1 }
            output[kept] = next
            kept += 1
        }
        return RowSelection(rows: output, count: kept)
    }

    /// Rows of `a` not in `b` (both ascending).
    func subtract(_ a: RowSelection, _ b: RowSelection) -> RowSelection {
        if b.isAll { return none() }
        let output = take()
        var (j, kept) = (0, 0)
        let excluded = b.rows!
        for index in 0..<a.count {
            let row = a.rows.map { $0[index] } ?? Int32(index)
            while j < b.count && excluded[j] < row { j += 1 }
            if j < b.count && excluded[j] == row { continue }
            output[kept] = row
            kept += 1
        }
        return RowSelection(rows: output, count: kept)
    }
}
