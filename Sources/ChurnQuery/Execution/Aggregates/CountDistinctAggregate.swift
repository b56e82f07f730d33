/// COUNT(DISTINCT dimension): per slot, a bitmap over the dimension's codes when the grouping is
/// dense and the bitmaps affordable (a bit set per row instead of a hash insert), else a set.
final class CountDistinctAggregate: GroupedAggregate {
    let attribute: GroupAttribute
    /// Words per slot's bitmap; 0 when sets are used.
    let bitmapWords: Int
    private var bitmaps: [UInt64] = []
    private var sets: [Set<UInt32>] = []

    /// Bitmaps may take up to this many words per grouping (32 MB).
    static let bitmapWordLimit = 4 << 20

    /// `bitmapSlots`: the slot count of a dense grouping (bitmaps considered), nil for hashed ones.
    init(attribute: GroupAttribute, bitmapSlots: Int?) {
        self.attribute = attribute
        let words = (attribute.codeCount + 63) / 64
        if let bitmapSlots, words * bitmapSlots <= Self.bitmapWordLimit { bitmapWords = words } else { bitmapWords = 0 }
    }

    private init(attribute: GroupAttribute, bitmapWords: Int) {
        self.attribute = attribute
        self.bitmapWords = bitmapWords
    }

    func appendSlots(_ count: Int) {
        if bitmapWords > 0 { bitmaps.append(contentsOf: repeatElement(0, count: count * bitmapWords)) }
        else { sets.append(contentsOf: repeatElement([], count: count)) }
    }

    func update(_ batch: ScanBatch) throws {
        let codes = try batch.reader.codes(attribute.column)
        let attribute = self.attribute
        if bitmapWords > 0 {
            let words = bitmapWords
            bitmaps.withUnsafeMutableBufferPointer { bits in
                batch.forEachRow { row in
                    let code = attributeCode(attribute, codes, row)
                    if code == 0 { return }
                    bits[Int(batch.slots[row]) * words + Int(code >> 6)] |= 1 << UInt64(code & 63)
                }
            }
            return
        }
        // Rows of one account are adjacent: skip repeats of the same (slot, code).
        var lastSlot: Int32 = -1
        var lastCode: UInt32 = .max
        batch.forEachRow { row in
            let code = attributeCode(attribute, codes, row)
            let slot = batch.slots[row]
            if code == 0 || (code == lastCode && slot == lastSlot) { return }
            lastCode = code
            lastSlot = slot
            sets[Int(slot)].insert(code)
        }
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        let from = unsafeDowncast(other, to: CountDistinctAggregate.self)
        if from.bitmapWords > 0 {
            let start = source * from.bitmapWords
            if bitmapWords == from.bitmapWords {
                let base = target * bitmapWords
                for word in 0..<bitmapWords { bitmaps[base + word] |= from.bitmaps[start + word] }
                return
            }
            for word in 0..<from.bitmapWords where from.bitmaps[start + word] != 0 {
                var bits = from.bitmaps[start + word]
                while bits != 0 {
                    insert(UInt32(word * 64 + bits.trailingZeroBitCount), slot: target)
                    bits &= bits - 1
                }
            }
        } else if !from.sets[source].isEmpty {
            if bitmapWords > 0 { for code in from.sets[source] { insert(code, slot: target) } }
            else { sets[target].formUnion(from.sets[source]) }
        }
    }

    private func insert(_ code: UInt32, slot: Int) {
        if bitmapWords > 0 { bitmaps[slot * bitmapWords + Int(code >> 6)] |= 1 << UInt64(code & 63) }
        else { sets[slot].insert(code) }
    }

    func makeEmpty() -> any GroupedAggregate { CountDistinctAggregate(attribute: attribute, bitmapWords: bitmapWords) }

    func value(slot: Int, rows: Int64) -> ResultValue {
        guard bitmapWords > 0 else { return .integer(Int64(sets[slot].count)) }
        let start = slot * bitmapWords
        return .integer(Int64(bitmaps[start..<start + bitmapWords].reduce(0) { $0 + $1.nonzeroBitCount }))
    }

    var bytesPerSlot: Int { bitmapWords > 0 ? bitmapWords * 8 : 48 }
}
