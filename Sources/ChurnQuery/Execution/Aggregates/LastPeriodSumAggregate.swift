/// The sum over the latest period of each slot (semi-additive measures such as MRR): the rows
/// of the slot's greatest period value count, earlier periods are dropped.
final class LastPeriodSumAggregate: GroupedAggregate {
    let input: RowExpression
    let attribute: GroupAttribute
    /// The exact scale, or nil for floating point.
    let scale: Int?
    /// Rank of the latest period seen per slot (0: none yet).
    private var ranks: [UInt32] = []
    private var exactSums: [Int128] = []
    private var doubleSums: [Double] = []
    private var nullRows: [Int64] = []
    private var rowsInLast: [Int64] = []

    init(input: RowExpression, attribute: GroupAttribute) {
        self.input = input
        self.attribute = attribute
        if case let .exact(scale) = input.valueType { self.scale = scale } else { scale = nil }
    }

    func appendSlots(_ count: Int) {
        ranks.append(contentsOf: repeatElement(0, count: count))
        if scale != nil { exactSums.append(contentsOf: repeatElement(0, count: count)) }
        else { doubleSums.append(contentsOf: repeatElement(0, count: count)) }
        nullRows.append(contentsOf: repeatElement(0, count: count))
        rowsInLast.append(contentsOf: repeatElement(0, count: count))
    }

    func update(_ batch: ScanBatch) throws {
        let codes = try batch.reader.codes(attribute.column)
        let values = try batch.expressions.evaluate(input, rows: batch.selection)
        defer { batch.expressions.release(values) }
        let attribute = self.attribute
        let exact = scale != nil
        // Through buffer pointers: the states are the class's arrays, and a write through the
        // array would check its uniqueness on every row.
        attribute.sortRanks.withUnsafeBufferPointer { sortRanks in
            ranks.withUnsafeMutableBufferPointer { ranks in
                exactSums.withUnsafeMutableBufferPointer { exactSums in
                    doubleSums.withUnsafeMutableBufferPointer { doubleSums in
                        nullRows.withUnsafeMutableBufferPointer { nullRows in
                            rowsInLast.withUnsafeMutableBufferPointer { rowsInLast in
                                batch.forEachRow { row in
                                    let slot = Int(batch.slots[row])
                                    let rank = sortRanks[Int(attributeCode(attribute, codes, row))]
                                    let best = ranks[slot]
                                    if rank < best { return }
                                    if rank > best {
                                        ranks[slot] = rank
                                        if exact { exactSums[slot] = 0 } else { doubleSums[slot] = 0 }
                                        nullRows[slot] = 0
                                        rowsInLast[slot] = 0
                                    }
                                    rowsInLast[slot] += 1
                                    if values.isNull(row) { nullRows[slot] += 1 }
                                    else if exact { exactSums[slot] &+= Int128(values.words[row]) }
                                    else { doubleSums[slot] += values.double(row) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        let from = unsafeDowncast(other, to: LastPeriodSumAggregate.self)
        let (mine, theirs) = (ranks[target], from.ranks[source])
        if theirs < mine { return }
        if theirs > mine {
            ranks[target] = theirs
            if scale != nil { exactSums[target] = 0 } else { doubleSums[target] = 0 }
            nullRows[target] = 0
            rowsInLast[target] = 0
        }
        if scale != nil { exactSums[target] &+= from.exactSums[source] } else { doubleSums[target] += from.doubleSums[source] }
        nullRows[target] += from.nullRows[source]
        rowsInLast[target] += from.rowsInLast[source]
    }

    func makeEmpty() -> any GroupedAggregate { LastPeriodSumAggregate(input: input, attribute: attribute) }

    func value(slot: Int, rows: Int64) -> ResultValue {
        if rowsInLast[slot] - nullRows[slot] <= 0 { return .null }
        guard let scale else { return .double(doubleSums[slot]) }
        guard let units = Int64(exactly: exactSums[slot]) else { return .null }
        return .exact(units: units, scale: scale)
    }

    func checkRepresentable(slots: Int) throws {
        for slot in 0..<min(slots, exactSums.count) where Int64(exactly: exactSums[slot]) == nil {
            throw QueryError("the last-period SUM(\(input)) exceeds the range of 64-bit integers", at: .synthesized)
        }
    }

    var bytesPerSlot: Int { 40 }
}
