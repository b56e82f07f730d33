/// SUM of a floating-point expression (double columns, divisions).
final class DoubleSumAggregate: GroupedAggregate {
    let input: RowExpression
    private var sums: [Double] = []
    private var nullRows: [Int64] = []

    init(input: RowExpression) { self.input = input }

    func appendSlots(_ count: Int) {
        sums.append(contentsOf: repeatElement(0, count: count))
        nullRows.append(contentsOf: repeatElement(0, count: count))
    }

    func update(_ batch: ScanBatch) throws {
        let values = try batch.expressions.doubles(input, rows: batch.selection)
        defer { batch.expressions.release(values) }
        let slots = batch.slots
        sums.withUnsafeMutableBufferPointer { sums in
            nullRows.withUnsafeMutableBufferPointer { nullRows in
                if let nulls = values.nulls {
                    batch.forEachRow { row in
                        if nulls[row] != 0 { nullRows[Int(slots[row])] += 1 } else { sums[Int(slots[row])] += values.double(row) }
                    }
                } else {
                    batch.forEachRow { row in sums[Int(slots[row])] += values.double(row) }
                }
            }
        }
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        let from = unsafeDowncast(other, to: DoubleSumAggregate.self)
        sums[target] += from.sums[source]
        nullRows[target] += from.nullRows[source]
    }

    func absorb(_ other: any GroupedAggregate, slotCount: Int) {
        let from = unsafeDowncast(other, to: DoubleSumAggregate.self)
        sums.withUnsafeMutableBufferPointer { sums in
            from.sums.withUnsafeBufferPointer { theirs in for slot in 0..<slotCount { sums[slot] += theirs[slot] } }
        }
        nullRows.withUnsafeMutableBufferPointer { nullRows in
            from.nullRows.withUnsafeBufferPointer { theirs in for slot in 0..<slotCount { nullRows[slot] += theirs[slot] } }
        }
    }

    func makeEmpty() -> any GroupedAggregate { DoubleSumAggregate(input: input) }

    func value(slot: Int, rows: Int64) -> ResultValue {
        rows - nullRows[slot] <= 0 ? .null : .double(sums[slot])
    }

    var bytesPerSlot: Int { 16 }
}
