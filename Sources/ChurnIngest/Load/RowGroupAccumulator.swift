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
        values = (0..<columnCount).map { _ in
            var column: [Int64] = []
            column.reserveCapacity(rowGroupSize)
            return column
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
                let source = block.values[slot][consumed..<consumed + take]
                if let map = codeMaps[slot] {
                    for code in source { values[slot].append(map[Int(code)]) }
                } else {
                    values[slot].append(contentsOf: source)
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
        sealed.append(RowGroup(values: values, nulls: rows == rowGroupSize ? nulls : masks))
        reset()
    }

    mutating func takeSealed() -> [RowGroup] {
        defer { sealed.removeAll() }
        return sealed
    }
}
