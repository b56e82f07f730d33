/// A dictionary from byte strings to dense codes (1, 2, 3, ...), built without creating a
/// `String` per field: bytes are hashed and compared in place, and only new values are copied.
///
/// Used per block of input so blocks can be parsed in parallel; the blocks' values are merged
/// into the column's global dictionary afterwards, once per distinct value.
struct ByteInterner {
    /// The distinct values, back to back.
    private(set) var arena: [UInt8] = []
    /// `starts[code - 1] ..< starts[code]` is the value of `code`; starts[0] == 0.
    private(set) var starts: [Int] = [0]
    /// The input line where each code first appeared (for errors found when merging).
    private(set) var firstLines: [Int] = []
    private var slots: [UInt32]
    private var mask: Int
    private var lastCode: UInt32 = 0

    init(expectedCount: Int = 64) {
        var capacity = 64
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
        starts.reserveCapacity(expectedCount + 1)
        firstLines.reserveCapacity(expectedCount)
    }

    var count: Int { starts.count - 1 }

    func bytes(of code: UInt32) -> ArraySlice<UInt8> { arena[starts[Int(code) - 1]..<starts[Int(code)]] }

    /// Hands the bytes of `code` to `body` without copying them.
    func withBytes<R>(of code: UInt32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let (start, end) = (starts[Int(code) - 1], starts[Int(code)])
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        // Words multiplied and folded, then a full avalanche: values such as account ids differ
        // only in their last bytes, and the table keeps the low bits, so every input bit must
        // reach them (FNV over words left the low bits to the first bytes: probe chains of
        // thousands).
        var hash = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        if index < count {
            hash = (hash ^ tail(bytes, from: index)) &* 0xBF58_476D_1CE4_E5B9
        }
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        return Int(truncatingIfNeeded: hash)
    }

    /// The 1 to 7 bytes from `index` to the end, little-endian in one word: at most three loads
    /// (4, 2 and 1 bytes) instead of one a byte.
    @inline(__always)
    static func tail(_ bytes: UnsafeRawBufferPointer, from index: Int) -> UInt64 {
        let remaining = bytes.count - index
        var word: UInt64 = 0
        var offset = index
        var shift: UInt64 = 0
        if remaining & 4 != 0 {
            word = UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            offset += 4
            shift = 32
        }
        if remaining & 2 != 0 {
            word |= UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) << shift
            offset += 2
            shift += 16
        }
        if remaining & 1 != 0 {
            word |= UInt64(bytes[offset]) << shift
        }
        return word
    }

    @inline(__always)
    private func equals(_ code: UInt32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[Int(code) - 1]
        let end = starts[Int(code)]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { arenaBytes in
            bytes.count == 0 || Self.same(arenaBytes.baseAddress! + start, bytes.baseAddress!, bytes.count)
        }
    }

    /// Byte equality, a word at a time: dimension values are short, and a call to memcmp costs
    /// more than comparing them.
    @inline(__always)
    private static func same(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            if a.loadUnaligned(fromByteOffset: index, as: UInt64.self) != b.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
            index += 8
        }
        guard index < count else { return true }
        return tail(UnsafeRawBufferPointer(start: a, count: count), from: index) == tail(UnsafeRawBufferPointer(start: b, count: count), from: index)
    }

    /// The code of `bytes`, adding it when new.
    @inline(__always)
    mutating func intern(_ bytes: UnsafeRawBufferPointer, line: Int) -> UInt32 {
        // Most columns repeat the previous row's value (rows of one account are adjacent).
        if lastCode != 0 && equals(lastCode, bytes) { return lastCode }
        var slot = Self.hash(bytes) & mask
        while true {
            let code = slots[slot]
            if code == 0 { break }
            if equals(code, bytes) { lastCode = code; return code }
            slot = (slot + 1) & mask
        }
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        firstLines.append(line)
        let code = UInt32(count)
        slots[slot] = code
        lastCode = code
        if count * 2 > slots.count { grow() }
        return code
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
        arena.withUnsafeBytes { arenaBytes in
            for code in 1...UInt32(count) {
                let start = starts[Int(code) - 1]
                let value = UnsafeRawBufferPointer(rebasing: arenaBytes[start..<starts[Int(code)]])
                var slot = Self.hash(value) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = code
            }
        }
    }
}
