import ChurnStorage

/// Collects one stored column's parsed values, in input order, into row groups of a fixed size.
///
/// Columns fill independently (every column receives the same rows), so the columns of a block
/// are appended in parallel, each by one task.
final class ColumnAccumulator: @unchecked Sendable {
    /// One complete row group of this column: its values and NULL rows.
    struct Group {
        var values: [Int64]
        var nulls: NullMask?
    }

    let rowGroupSize: Int
    private var values: [Int64] = []
    private var nulls: NullMask?
    private(set) var pendingRows = 0
    private var sealed: [Group] = []
    /// Buffers of groups already encoded, filled again instead of new ones whose pages the
    /// kernel would have to zero.
    private var spare: [[Int64]] = []
    private static let spareLimit = 8

    init(rowGroupSize: Int) {
        self.rowGroupSize = rowGroupSize
        reset()
    }

    private func reset() {
        // Filled by position up to `pendingRows`; a short last group is trimmed when sealed.
        if var reused = spare.popLast() {
            if reused.count < rowGroupSize { reused.append(contentsOf: repeatElement(0, count: rowGroupSize - reused.count)) }
            values = reused
        } else {
            values = [Int64](unsafeUninitializedCapacity: rowGroupSize) { _, initialized in initialized = rowGroupSize }
        }
        nulls = nil
        pendingRows = 0
    }

    /// Appends `count` values; `nullRows` are the NULL ones (ascending row numbers counted from
    /// `source`), and `codeMap` maps block-local dimension codes to global ones.
    func append(_ source: UnsafePointer<Int64>, count: Int, nullRows: [Int32], codeMap: [Int64]?) {
        var consumed = 0
        var nullCursor = 0
        while consumed < count {
            let take = min(count - consumed, rowGroupSize - pendingRows)
            let start = pendingRows
            values.withUnsafeMutableBufferPointer { group in
                let target = group.baseAddress! + start
                let from = source + consumed
                if let codeMap {
                    codeMap.withUnsafeBufferPointer { map in for row in 0..<take { target[row] = map[Int(from[row])] } }
                } else {
                    target.update(from: from, count: take)
                }
            }
            while nullCursor < nullRows.count && Int(nullRows[nullCursor]) < consumed + take {
                if nulls == nil { nulls = NullMask(rowCount: rowGroupSize) }
                nulls!.setNull(start + Int(nullRows[nullCursor]) - consumed)
                nullCursor += 1
            }
            consumed += take
            pendingRows += take
            if pendingRows == rowGroupSize { seal() }
        }
    }

    /// Closes the current (possibly short) row group.
    func seal() {
        guard pendingRows > 0 else { return }
        let rows = pendingRows
        if rows < rowGroupSize {
            values.removeLast(rowGroupSize - rows)
            nulls = nulls.map { full in
                var trimmed = NullMask(rowCount: rows)
                for row in 0..<rows where full.isNull(row) { trimmed.setNull(row) }
                return trimmed
            }
        }
        sealed.append(Group(values: values, nulls: nulls))
        reset()
    }

    /// Takes back the values buffer of a group that has been encoded.
    func recycle(_ values: [Int64]) {
        if spare.count < Self.spareLimit && values.capacity >= rowGroupSize { spare.append(values) }
    }

    func takeSealed() -> [Group] {
        defer { sealed.removeAll() }
        return sealed
    }
}
