import ChurnStorage

/// Evaluates a WHERE predicate over one row group into a 0/1 mask, consulting the chunk
/// statistics first so that conditions true or false for the whole group cost nothing.
struct PredicateEvaluator {
    let pruner: ChunkPruner

    func evaluate(_ predicate: RowPredicate, reader: RowGroupReader, into mask: inout [UInt8]) throws {
        let count = reader.rowCount
        if mask.count < count { mask = [UInt8](repeating: 0, count: ColumnChunk.maximumRowCount) }
        switch pruner.verdict(predicate, rowGroup: reader.rowGroup) {
        case .all: fill(&mask, 1, count); return
        case .none: fill(&mask, 0, count); return
        case .some: break
        }
        switch predicate {
        case .constant(let value):
            fill(&mask, value ? 1 : 0, count)
        case let .codes(column, codes, _):
            let rowCodes = try reader.codes(column)
            mask.withUnsafeMutableBufferPointer { out in
                var previous: UInt32 = .max
                var previousResult: UInt8 = 0
                for row in 0..<count {
                    let code = rowCodes[row]
                    // Rows of one account repeat their codes: reuse the last answer.
                    if code != previous { previous = code; previousResult = codes.contains(code) ? 1 : 0 }
                    out[row] = previousResult
                }
            }
        case let .compare(left, op, right):
            var leftValues: [Double] = [], leftNulls: [Bool] = []
            var rightValues: [Double] = [], rightNulls: [Bool] = []
            _ = try reader.evaluate(left, into: &leftValues, nullRows: &leftNulls)
            _ = try reader.evaluate(right, into: &rightValues, nullRows: &rightNulls)
            for row in 0..<count {
                mask[row] = !leftNulls[row] && !rightNulls[row] && op.holds(leftValues[row], rightValues[row]) ? 1 : 0
            }
        case let .isNull(column, _, negated):
            let (_, nulls) = try reader.values(column)
            for row in 0..<count { mask[row] = (nulls?.isNull(row) ?? false) != negated ? 1 : 0 }
        case let .and(children):
            fill(&mask, 1, count)
            var childMask: [UInt8] = []
            for child in children {
                try evaluate(child, reader: reader, into: &childMask)
                for row in 0..<count { mask[row] &= childMask[row] }
            }
        case let .or(children):
            fill(&mask, 0, count)
            var childMask: [UInt8] = []
            for child in children {
                try evaluate(child, reader: reader, into: &childMask)
                for row in 0..<count { mask[row] |= childMask[row] }
            }
        }
    }

    private func fill(_ mask: inout [UInt8], _ value: UInt8, _ count: Int) {
        mask.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: value, count: count) }
    }
}
