/// MIN and MAX of a dimension: the member that sorts first or last, kept as its rank.
final class AttributeExtremumAggregate: GroupedAggregate {
    let attribute: GroupAttribute
    let isMinimum: Bool
    private var ranks: [UInt32] = []
    /// rank -> code, for the final value.
    private let codeByRank: [UInt32]

    init(attribute: GroupAttribute, isMinimum: Bool) {
        self.attribute = attribute
        self.isMinimum = isMinimum
        var inverse = [UInt32](repeating: 0, count: attribute.sortRanks.count)
        for (code, rank) in attribute.sortRanks.enumerated() { inverse[Int(rank)] = UInt32(code) }
        codeByRank = inverse
    }

    func appendSlots(_ count: Int) { ranks.append(contentsOf: repeatElement(isMinimum ? .max : 0, count: count)) }

    func update(_ batch: ScanBatch) throws {
        let codes = try batch.reader.codes(attribute.column)
        let attribute = self.attribute, isMinimum = self.isMinimum
        attribute.sortRanks.withUnsafeBufferPointer { sortRanks in
            ranks.withUnsafeMutableBufferPointer { ranks in
                batch.forEachRow { row in
                    let code = attributeCode(attribute, codes, row)
                    guard code != 0 else { return }
                    let rank = sortRanks[Int(code)]
                    let slot = Int(batch.slots[row])
                    if isMinimum ? rank < ranks[slot] : rank > ranks[slot] { ranks[slot] = rank }
                }
            }
        }
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        let theirs = unsafeDowncast(other, to: AttributeExtremumAggregate.self).ranks[source]
        ranks[target] = isMinimum ? min(ranks[target], theirs) : max(ranks[target], theirs)
    }

    func makeEmpty() -> any GroupedAggregate { AttributeExtremumAggregate(attribute: attribute, isMinimum: isMinimum) }

    func value(slot: Int, rows: Int64) -> ResultValue {
        let rank = ranks[slot]
        guard rank != 0, rank != .max else { return .null }
        return attribute.dictionary.value(of: codeByRank[Int(rank)]).map(ResultValue.text) ?? .null
    }

    /// The extreme member's code in a slot; nil when the slot saw only NULL.
    func code(slot: Int) -> UInt32? {
        let rank = ranks[slot]
        guard rank != 0, rank != .max else { return nil }
        return codeByRank[Int(rank)]
    }

    var bytesPerSlot: Int { 4 }
}
