/// XXH64, the 64-bit xxHash: the checksum of every snapshot section and chunk.
///
/// A straight port of the reference algorithm (github.com/Cyan4973/xxHash, `XXH64`), seed 0 by
/// default, reading input as little-endian 64-bit lanes. Fast enough (several GB/s) that checking a
/// chunk costs a fraction of decompressing it.
package enum XXH64 {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    package static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        guard let start = bytes.baseAddress, count > 0 else { return finish(seed &+ prime5) }
        var offset = 0
        var accumulator: UInt64
        if count >= 32 {
            var lane1 = seed &+ prime1 &+ prime2
            var lane2 = seed &+ prime2
            var lane3 = seed
            var lane4 = seed &- prime1
            let lastStripe = count - 32
            while offset <= lastStripe {
                lane1 = round(lane1, load64(start, offset))
                lane2 = round(lane2, load64(start, offset + 8))
                lane3 = round(lane3, load64(start, offset + 16))
                lane4 = round(lane4, load64(start, offset + 24))
                offset += 32
            }
            accumulator = lane1.rotatedLeft(1) &+ lane2.rotatedLeft(7) &+ lane3.rotatedLeft(12) &+ lane4.rotatedLeft(18)
            accumulator = merge(accumulator, lane1)
            accumulator = merge(accumulator, lane2)
            accumulator = merge(accumulator, lane3)
            accumulator = merge(accumulator, lane4)
        } else {
            accumulator = seed &+ prime5
        }
        accumulator &+= UInt64(count)
        while offset + 8 <= count {
            accumulator ^= round(0, load64(start, offset))
            accumulator = accumulator.rotatedLeft(27) &* prime1 &+ prime4
            offset += 8
        }
        if offset + 4 <= count {
            accumulator ^= UInt64(UInt32(littleEndian: start.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) &* prime1
            accumulator = accumulator.rotatedLeft(23) &* prime2 &+ prime3
            offset += 4
        }
        while offset < count {
            accumulator ^= UInt64(start.load(fromByteOffset: offset, as: UInt8.self)) &* prime5
            accumulator = accumulator.rotatedLeft(11) &* prime1
            offset += 1
        }
        return finish(accumulator)
    }

    package static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    @inline(__always)
    private static func load64(_ start: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: start.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func round(_ lane: UInt64, _ input: UInt64) -> UInt64 {
        (lane &+ input &* prime2).rotatedLeft(31) &* prime1
    }

    @inline(__always)
    private static func merge(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        (accumulator ^ round(0, lane)) &* prime1 &+ prime4
    }

    @inline(__always)
    private static func finish(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= prime2
        hash ^= hash >> 29
        hash &*= prime3
        hash ^= hash >> 32
        return hash
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ bits: UInt64) -> UInt64 { (self << bits) | (self >> (64 - bits)) }
}
