import Testing
@testable import ChurnStorage

@Suite struct XXH64Tests {
    /// Reference values of XXH64 with seed 0 (xxHash's own and python-xxhash's documented digests).
    @Test func matchesReferenceVectors() {
        #expect(XXH64.hash(Array("".utf8)) == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXH64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXH64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test func everyByteAndLengthChangesTheHash() {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let reference = XXH64.hash(bytes)
        var seen: Set<UInt64> = [reference]
        for position in bytes.indices {
            var flipped = bytes
            flipped[position] ^= 1
            seen.insert(XXH64.hash(flipped))
        }
        for length in 0..<bytes.count { seen.insert(XXH64.hash(Array(bytes.prefix(length)))) }
        #expect(seen.count == 1 + bytes.count + bytes.count)
    }
}
