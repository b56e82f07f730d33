import Testing
@testable import ChurnIngest

@Suite struct RadixSortTests {
    /// Entries are key << 32 | row, rows distinct: a stable sort by key is the plain sort of the entries.
    @Test(arguments: [1, 11, 13, 14, 25, 26, 32])
    func sortsStablyByTheKeyBits(keyBits: Int) {
        for count in [1_000, 100_003] {
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(keyBits * 31 + count)
            let keyMask: UInt64 = (1 << UInt64(keyBits)) - 1
            var entries = (0..<count).map { row -> UInt64 in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                // Few distinct keys, so many ties whose rows must keep their order.
                let key = (state >> 40) % 97 & keyMask | ((state >> 20) & keyMask & ~0xFF)
                return key << 32 | UInt64(row)
            }
            let expected = entries.sorted()
            PhysicalOrder.radixSort(&entries, keyBits: keyBits)
            #expect(entries == expected, "count \(count)")
        }
    }
}
