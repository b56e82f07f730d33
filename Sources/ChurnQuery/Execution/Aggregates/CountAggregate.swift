/// COUNT(x): rows where an expression is not NULL, or where a dimension has a member.
final class CountAggregate: GroupedAggregate {
    enum Input {
        case expression(RowExpression)
        case attribute(GroupAttribute)
    }

    let input: Input
    private var counts: [Int64] = []

    init(input: Input) { self.input = input }

    func appendSlots(_ count: Int) { counts.append(contentsOf: repeatElement(0, count: count)) }

    func update(_ batch: ScanBatch) throws {
        switch input {
        case let .attribute(attribute):
            let codes = try batch.reader.codes(attribute.column)
            counts.withUnsafeMutableBufferPointer { counts in
                batch.forEachRow { row in if attributeCode(attribute, codes, row) != 0 { counts[Int(batch.slots[row])] += 1 } }
            }
        case let .expression(.column(column, _, _)):
            let (_, nulls) = try batch.reader.values(column)
            counts.withUnsafeMutableBufferPointer { counts in
                if let nulls {
                    batch.forEachRow { row in if !nulls.isNull(row) { counts[Int(batch.slots[row])] += 1 } }
                } else if let slotRuns = batch.slotRuns {
                    for run in slotRuns { counts[Int(run.slot)] += Int64(run.length) }
                } else {
                    batch.forEachRow { row in counts[Int(batch.slots[row])] += 1 }
                }
            }
        case let .expression(expression):
            let values = try batch.expressions.evaluate(expression, rows: batch.selection)
            defer { batch.expressions.release(values) }
            counts.withUnsafeMutableBufferPointer { counts in
                batch.forEachRow { row in if !values.isNull(row) { counts[Int(batch.slots[row])] += 1 } }
            }
        }
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        counts[target] += unsafeDowncast(other, to: CountAggregate.self).counts[source]
    }

    func absorb(_ other: any GroupedAggregate, slotCount: Int) {
        let from = unsafeDowncast(other, to: CountAggregate.self)
        counts.withUnsafeMutableBufferPointer { counts in
            from.counts.withUnsafeBufferPointer { theirs in for slot in 0..<slotCount { counts[slot] += theirs[slot] } }
        }
    }

    func makeEmpty() -> any GroupedAggregate { CountAggregate(input: input) }
    func value(slot: Int, rows: Int64) -> ResultValue { .integer(counts[slot]) }
    var bytesPerSlot: Int { 8 }
}
