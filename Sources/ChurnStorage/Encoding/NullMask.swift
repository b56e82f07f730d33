/// A bitmap of the rows of one chunk that are NULL (bit set = NULL).
package struct NullMask: Sendable, Equatable {
    package private(set) var words: [UInt64]
    package let rowCount: Int

    package init(rowCount: Int) {
        self.rowCount = rowCount
        words = [UInt64](repeating: 0, count: (rowCount + 63) / 64)
    }

    init(rowCount: Int, bytes: UnsafeRawBufferPointer) {
        self.init(rowCount: rowCount)
        words.withUnsafeMutableBytes { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(dst.count)))
        }
        for index in words.indices { words[index] = UInt64(littleEndian: words[index]) }
    }

    @inlinable
    package func isNull(_ row: Int) -> Bool { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }

    @inline(__always)
    package mutating func setNull(_ row: Int) { words[row >> 6] |= 1 << UInt64(row & 63) }

    /// Marks the rows `isNull` says, a word at a time.
    package mutating func setNulls(_ isNull: (Int) -> Bool) {
        for word in words.indices {
            var bits: UInt64 = 0
            let first = word << 6
            for bit in 0..<min(64, rowCount - first) where isNull(first + bit) { bits |= 1 << UInt64(bit) }
            words[word] |= bits
        }
    }

    package var nullCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Serialized size: whole bytes covering `rowCount` bits.
    var byteCount: Int { (rowCount + 7) / 8 }

    func write(to writer: inout ByteWriter) {
        var remaining = byteCount
        for word in words where remaining > 0 {
            let take = min(8, remaining)
            withUnsafeBytes(of: word.littleEndian) { writer.write(bytes: $0.prefix(take)) }
            remaining -= take
        }
    }
}
