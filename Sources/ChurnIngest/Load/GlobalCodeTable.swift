/// The global dictionary code of every value a load has seen, looked up by the value's bytes.
///
/// The merge probes it once per distinct value of every block, which in month-ordered input
/// means once per row for the account ids, against a table far larger than the caches. So a
/// slot holds what decides a probe: the value's length, its first 8 bytes and its code. A value
/// of up to 8 bytes (most ids) is settled by the slot alone, one cache miss; only longer ones
/// compare their remaining bytes in `arena`.
struct GlobalCodeTable {
    private struct Slot {
        var prefix: UInt64 = 0
        var length: UInt32 = 0
        /// The dictionary code; 0 marks an empty slot (code 0 is NULL and never stored).
        var code: UInt32 = 0
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0
    /// Bytes of values longer than 8 bytes, back to back; `longValueStarts[code]` finds them
    /// (-1 for the codes of short values).
    private var arena: [UInt8] = []
    private var longValueStarts: [Int] = []

    init() {
        slots = [Slot](repeating: Slot(), count: 1024)
        mask = slots.count - 1
    }

    /// The code of `bytes`, or the result of `newCode()` (recorded as its code) when it is new.
    @inline(__always)
    mutating func code(of bytes: UnsafeRawBufferPointer, newCode: () -> UInt32) -> UInt32 {
        code(of: bytes, hash: ByteInterner.hash(bytes), newCode: newCode)
    }

    /// Values taken together by `codes(count:...)`.
    private static let batchSize = 16

    /// `found(i, code)` for the `count` values `value(i)`, in order, each coded as by
    /// `code(of:newCode:)` with `newCode(i)`. The home slots of a batch of values are all read
    /// before any value is compared: their cache misses then overlap instead of following one
    /// another. A value found in its home slot is settled by that read; any other takes the
    /// full probe, which also sees codes the batch added.
    mutating func codes(count: Int, value: (Int) -> UnsafeRawBufferPointer, newCode: (Int) -> UInt32,
                        found: (Int, UInt32) -> Void) {
        var hashes = [Int](repeating: 0, count: Self.batchSize)
        var homes = [Slot](repeating: Slot(), count: Self.batchSize)
        var start = 0
        while start < count {
            let batch = min(Self.batchSize, count - start)
            slots.withUnsafeBufferPointer { slots in
                for offset in 0..<batch {
                    let hash = ByteInterner.hash(value(start + offset))
                    hashes[offset] = hash
                    homes[offset] = slots[hash & mask]
                }
            }
            for offset in 0..<batch {
                let bytes = value(start + offset)
                let home = homes[offset]
                let length = UInt32(bytes.count)
                if home.code != 0 && home.length == length && home.prefix == Self.prefix(of: bytes) && (length <= 8 || sameTail(home.code, bytes)) {
                    found(start + offset, home.code)
                } else {
                    found(start + offset, code(of: bytes, hash: hashes[offset]) { newCode(start + offset) })
                }
            }
            start += batch
        }
    }

    /// `code(of:newCode:)` with the value's `ByteInterner.hash` already known.
    @inline(__always)
    private mutating func code(of bytes: UnsafeRawBufferPointer, hash: Int, newCode: () -> UInt32) -> UInt32 {
        let prefix = Self.prefix(of: bytes)
        let length = UInt32(bytes.count)
        var index = hash & mask
        let found: UInt32? = slots.withUnsafeBufferPointer { slots in
            while true {
                let slot = slots[index]
                if slot.code == 0 { return nil }
                if slot.prefix == prefix && slot.length == length && (length <= 8 || sameTail(slot.code, bytes)) { return slot.code }
                index = (index + 1) & mask
            }
        }
        if let found { return found }
        let code = newCode()
        slots[index] = Slot(prefix: prefix, length: length, code: code)
        if length > 8 {
            if longValueStarts.count <= Int(code) {
                longValueStarts.append(contentsOf: repeatElement(-1, count: Int(code) + 1 - longValueStarts.count))
            }
            longValueStarts[Int(code)] = arena.count
            arena.append(contentsOf: bytes)
        }
        count += 1
        if count * 2 > slots.count { grow() }
        return code
    }

    /// The first 8 bytes, zero-padded.
    @inline(__always)
    private static func prefix(of bytes: UnsafeRawBufferPointer) -> UInt64 {
        if bytes.count >= 8 { return bytes.loadUnaligned(as: UInt64.self) }
        return bytes.isEmpty ? 0 : ByteInterner.tail(bytes, from: 0)
    }

    private func sameTail(_ code: UInt32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard Int(code) < longValueStarts.count else { return false }
        let start = longValueStarts[Int(code)]
        guard start >= 0 else { return false }
        return arena.withUnsafeBytes { arena in
            for index in 8..<bytes.count where arena[start + index] != bytes[index] { return false }
            return true
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.code != 0 {
            let bytes = withUnsafeBytes(of: slot.prefix) { prefixBytes -> [UInt8] in
                slot.length <= 8 ? Array(prefixBytes.prefix(Int(slot.length)))
                    : Array(arena[longValueStarts[Int(slot.code)]..<(longValueStarts[Int(slot.code)] + Int(slot.length))])
            }
            var index = bytes.withUnsafeBytes { ByteInterner.hash($0) } & mask
            while slots[index].code != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
