import ChurnStorage

/// Collects parsed rows, in input order, into row groups of a fixed size, ready to encode: one
/// `ColumnAccumulator` per stored column, filled in parallel and sealed together.
struct RowGroupAccumulator {
    /// One complete row group: per stored column, its values and NULL rows.
    struct RowGroup {
        var values: [[Int64]]
        var nulls: [NullMask?]
    }

    let columns: [ColumnAccumulator]

    init(rowGroupSize: Int, columnCount: Int) {
        columns = (0..<columnCount).map { _ in ColumnAccumulator(rowGroupSize: rowGroupSize) }
    }

    /// Appends column `slot` of a parsed block; `codeMap` maps its block-local dimension codes to
    /// global ones. Safe to call concurrently for different slots.
    func append(slot: Int, of block: BlockParser, codeMap: [Int64]?) {
        columns[slot].append(block.values.column(slot), count: block.rowCount, nullRows: block.nullRows[slot], codeMap: codeMap)
    }

    /// Closes the current (possibly short) row group.
    func seal() {
        for column in columns { column.seal() }
    }

    /// Takes back the buffers of row groups that have been encoded, to fill them again.
    func recycle(_ groups: [RowGroup]) {
        for group in groups { for (slot, values) in group.values.enumerated() { columns[slot].recycle(values) } }
    }

    /// The row groups completed since the last call.
    func takeSealed() -> [RowGroup] {
        let perColumn = columns.map { $0.takeSealed() }
        let groupCount = perColumn.first?.count ?? 0
        return (0..<groupCount).map { group in
            RowGroup(values: perColumn.map { $0[group].values }, nulls: perColumn.map { $0[group].nulls })
        }
    }
}
