/// An open-addressing hash table from combined group keys to slots: linear probing in one flat
/// array of keys and one of slots, doubled at half load. No per-entry allocation, unlike a
/// dictionary, and probes stay in one or two cache lines.
package struct SlotTable {
    private var keys: [UInt64]
    private var slots: [Int32]
    private var mask: Int
    package private(set) var count = 0

    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func hash(_ key: UInt64) -> Int {
        // Fibonacci hashing spreads mixed-radix keys, whose low digits vary fastest.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20)
    }

    /// The slot of `key`, or -1.
    @inline(__always)
    package func slot(of key: UInt64) -> Int32 {
        var index = Self.hash(key) & mask
        while true {
            let slot = slots[index]
            if slot < 0 || keys[index] == key { return slot }
            index = (index + 1) & mask
        }
    }

    /// Records `key` -> `slot`; the key must be new.
    package mutating func insert(_ key: UInt64, slot: Int32) {
        if (count + 1) * 2 > slots.count { grow() }
        var index = Self.hash(key) & mask
        while slots[index] >= 0 { index = (index + 1) & mask }
        keys[index] = key
        slots[index] = slot
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldSlots = slots
        keys = [UInt64](repeating: 0, count: oldSlots.count * 2)
        slots = [Int32](repeating: -1, count: oldSlots.count * 2)
        mask = slots.count - 1
        count = 0
        for index in oldSlots.indices where oldSlots[index] >= 0 { insert(oldKeys[index], slot: oldSlots[index]) }
    }

    var byteCount: Int { slots.count * 12 }
}
