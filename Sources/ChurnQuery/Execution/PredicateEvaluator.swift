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
            if let runs = try reader.codeRuns(column) {
                // Decide once per run: dimensions are constant over an account's rows.
                mask.withUnsafeMutableBufferPointer { out in
                    var row = 0
                    for run in runs {
                        (out.baseAddress! + row).update(repeating: codes.contains(UInt32(truncatingIfNeeded: run.value)) ? 1 : 0, count: run.length)
                        row += run.length
                    }
                }
                return
            }
            let rowCodes = try reader.codes(column)
            mask.withUnsafeMutableBufferPointer { out in
                codes.words.withUnsafeBufferPointer { words in
                    let wordCount = UInt32(words.count)
                    for row in 0..<count {
                        let code = rowCodes[row]
                        let word = code >> 6
                        out[row] = word < wordCount ? UInt8(truncatingIfNeeded: words[Int(word)] >> UInt64(code & 63)) & 1 : 0
                    }
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
            try evaluate(children[0], reader: reader, into: &mask)
            var childMask: [UInt8] = []
            for child in children.dropFirst() {
                // Once no row passes, the other conditions need not be read.
                if !mask.withUnsafeBufferPointer({ $0[0..<count].contains(1) }) { return }
                try evaluate(child, reader: reader, into: &childMask)
                mask.withUnsafeMutableBufferPointer { out in
                    childMask.withUnsafeBufferPointer { other in
                        for row in 0..<count { out[row] &= other[row] }
                    }
                }
            }
        case let .or(children):
            fill(&mask, 0, count)
            var childMask: [UInt8] = []
            for child in children {
                try evaluate(child, reader: reader, into: &childMask)
                mask.withUnsafeMutableBufferPointer { out in
                    childMask.withUnsafeBufferPointer { other in
                        for row in 0..<count { out[row] |= other[row] }
                    }
                }
            }
        }
    }

    private func fill(_ mask: inout [UInt8], _ value: UInt8, _ count: Int) {
        mask.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: value, count: count) }
    }
}
