/// A set of dictionary codes, as a bitmap: predicates on a dimension are resolved once against
/// its dictionary into a `CodeSet` and then evaluated per row by one bit test.
package struct CodeSet: Sendable, Equatable {
    package private(set) var words: [UInt64]
    package private(set) var count: Int = 0

    package init(capacity: Int) {
        words = [UInt64](repeating: 0, count: max(1, (capacity + 63) / 64))
    }

    package init(capacity: Int, codes: some Sequence<UInt32>) {
        self.init(capacity: capacity)
        for code in codes { insert(code) }
    }

    package mutating func insert(_ code: UInt32) {
        let word = Int(code >> 6)
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        let bit: UInt64 = 1 << UInt64(code & 63)
        if words[word] & bit == 0 { count += 1 }
        words[word] |= bit
    }

    @inlinable
    package func contains(_ code: UInt32) -> Bool {
        let word = Int(code >> 6)
        return word < words.count && words[word] & (1 << UInt64(code & 63)) != 0
    }

    package func intersects(_ range: ClosedRange<UInt32>) -> Bool {
        var code = range.lowerBound
        while code <= range.upperBound {
            let word = Int(code >> 6)
            if word >= words.count { return false }
            if words[word] != 0 {
                let low = code & 63
                let lastInWord = min(range.upperBound, (code | 63))
                let high = lastInWord & 63
                let mask = (high == 63 ? UInt64.max : (UInt64(1) << UInt64(high + 1)) - 1) & (UInt64.max << UInt64(low))
                if words[word] & mask != 0 { return true }
            }
            if code | 63 == UInt32.max { break }
            code = (code | 63) + 1
        }
        return false
    }

    package var isEmpty: Bool { count == 0 }

    package var members: [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(count)
        for (index, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                result.append(UInt32(index * 64 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return result
    }
}
