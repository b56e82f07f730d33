/// COUNT(*): the grouping keeps each slot's row count, so this function holds no state.
final class CountRowsAggregate: GroupedAggregate {
    func appendSlots(_ count: Int) {}
    func update(_ batch: ScanBatch) throws {}
    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {}
    func makeEmpty() -> any GroupedAggregate { CountRowsAggregate() }
    func value(slot: Int, rows: Int64) -> ResultValue { .integer(rows) }
    var bytesPerSlot: Int { 0 }
}
