import ChurnStorage

/// Collects parsed rows, in input order, into row groups of a fixed size, ready to encode.
struct RowGroupAccumulator {
    /// One complete row group: per stored column, its values and NULL rows.
    struct RowGroup {
        var values: [[Int64]]
        var nulls: [NullMask?]
    }

    let rowGroupSize: Int
    let columnCount: Int
    private var values: [[Int64]]
    private var nulls: [NullMask?]
    private(set) var pendingRows = 0
    private(set) var sealed: [RowGroup] = []

    init(rowGroupSize: Int, columnCount: Int) {
        self.rowGroupSize = rowGroupSize
        self.columnCount = columnCount
        values = []
        nulls = []
        reset()
    }

    private mutating func reset() {
        // Filled by position up to `pendingRows`; a short last group is trimmed when sealed.
        values = (0..<columnCount).map { _ in
            [Int64](unsafeUninitializedCapacity: rowGroupSize) { _, initialized in initialized = rowGroupSize }
        }
        nulls = Array(repeating: nil, count: columnCount)
        pendingRows = 0
    }

    /// Appends a parsed block; `codeMaps[slot]` maps its block-local dimension codes to global ones.
    mutating func append(_ block: BlockParser, codeMaps: [[Int64]?]) {
        var consumed = 0
        var nullCursor = [Int](repeating: 0, count: columnCount)
        while consumed < block.rowCount {
            let take = min(block.rowCount - consumed, rowGroupSize - pendingRows)
            for slot in 0..<columnCount {
                let source = block.values.column(slot) + consumed
                let start = pendingRows
                values[slot].withUnsafeMutableBufferPointer { group in
                    let target = group.baseAddress! + start
                    if let map = codeMaps[slot] {
                        map.withUnsafeBufferPointer { map in for row in 0..<take { target[row] = map[Int(source[row])] } }
                    } else {
                        target.update(from: source, count: take)
                    }
                }
                let blockNulls = block.nullRows[slot]
                while nullCursor[slot] < blockNulls.count && Int(blockNulls[nullCursor[slot]]) < consumed + take {
                    if nulls[slot] == nil { nulls[slot] = NullMask(rowCount: rowGroupSize) }
                    nulls[slot]!.setNull(pendingRows + Int(blockNulls[nullCursor[slot]]) - consumed)
                    nullCursor[slot] += 1
                }
            }
            consumed += take
            pendingRows += take
            if pendingRows == rowGroupSize { seal() }
        }
    }

    /// Closes the current (possibly short) row group.
    mutating func seal() {
        guard pendingRows > 0 else { return }
        let rows = pendingRows
        let masks = nulls.map { mask in mask.map { full in
            var trimmed = NullMask(rowCount: rows)
            for row in 0..<rows where full.isNull(row) { trimmed.setNull(row) }
            return trimmed
        } }
        if rows < rowGroupSize { for slot in values.indices { values[slot].removeLast(rowGroupSize - rows) } }
        sealed.append(RowGroup(values: values, nulls: rows == rowGroupSize ? nulls : masks))
        reset()
    }

    mutating func takeSealed() -> [RowGroup] {
        defer { sealed.removeAll() }
        return sealed
    }
}
