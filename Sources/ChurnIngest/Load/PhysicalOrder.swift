import ChurnStorage
import Foundation

/// Puts the rows of freshly parsed chunks in the cube's sort-key order and encodes them for good.
///
/// The first pass stores chunks with their lightweight encodings only (no zstd); this pass finds
/// the permutation from the key columns, then rebuilds one column at a time: decode it whole,
/// gather its values in key order, cut row groups and compress them. Memory beyond the first-pass
/// chunks: the permutation (8 bytes a row, twice while sorting) and, per core, one decoded column
/// (1 to 8 bytes a row, the width of its span, plus its NULL bits).
enum PhysicalOrder {
    /// How a key column orders rows: by dictionary code (text: codes follow first appearance, so
    /// an account's rows stay one tight code range) or by value rank (months in calendar order).
    struct KeyColumn {
        var slot: Int
        /// `ranks[code]` when the column orders by value; nil to order by code.
        var ranks: [UInt32]?
        var codeCount: Int
    }

    /// Chunks in key order, cut into row groups of `rowGroupSize`, compressed. The first
    /// `finalGroups` row groups are already compressed, their rows known to be in key order.
    static func apply(_ chunks: [[ColumnChunk]], types: [ColumnType], keys: [KeyColumn], rowGroupSize: Int,
                      finalGroups: Int = 0) throws -> [[ColumnChunk]] {
        let rowCount = chunks.first?.reduce(0) { $0 + $1.rowCount } ?? 0
        guard rowCount > 0 else { return chunks }
        let permutation = try sortPermutation(chunks, keys: keys, rowCount: rowCount)
        var groupSizes: [Int] = []
        var remaining = rowCount
        while remaining > 0 { groupSizes.append(min(rowGroupSize, remaining)); remaining -= groupSizes.last! }

        guard let permutation else {
            // Already in key order: keep the row groups, compress each chunk.
            let flat = try parallelMap(chunks.count * chunks[0].count) { task -> ColumnChunk in
                let column = task / chunks[0].count, group = task % chunks[0].count
                if group < finalGroups { return chunks[column][group] }
                return try recompress(chunks[column][group], type: types[column])
            }
            return (0..<chunks.count).map { column in Array(flat[(column * chunks[0].count)..<((column + 1) * chunks[0].count)]) }
        }
        let buffers = ColumnBuffers()
        return try permutation.withUnsafeBufferPointer { order in
            nonisolated(unsafe) let order = order
            return try parallelMap(chunks.count) { column in
                try gather(chunks[column], type: types[column], order: order, groupSizes: groupSizes, finalGroups: finalGroups,
                           buffers: buffers)
            }
        }
    }

    // MARK: - Permutation

    /// Row numbers in key order (stable: rows with equal keys keep their input order), or nil when
    /// the input is already in key order.
    static func sortPermutation(_ chunks: [[ColumnChunk]], keys: [KeyColumn], rowCount: Int) throws -> [UInt32]? {
        let bitsPerKey = keys.map { max(1, 64 - UInt64(max(1, $0.codeCount - 1)).leadingZeroBitCount) }
        let keyBits = bitsPerKey.reduce(0, +)
        guard keyBits <= 32, rowCount <= Int(UInt32.max) else {
            return try comparisonPermutation(chunks, keys: keys, rowCount: rowCount)
        }
        // Each entry: the combined key in the high 32 bits, the row number in the low 32.
        var entries = [UInt64](repeating: 0, count: rowCount)
        var scratch: [UInt8] = []
        var codes = [UInt32](repeating: 0, count: ColumnChunk.maximumRowCount)
        for (position, key) in keys.enumerated() {
            let shift = UInt64(32 + bitsPerKey[(position + 1)...].reduce(0, +))
            var row = 0
            for chunk in chunks[key.slot] {
                _ = try codes.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
                entries.withUnsafeMutableBufferPointer { out in
                    codes.withUnsafeBufferPointer { codes in
                        if let ranks = key.ranks {
                            for index in 0..<chunk.rowCount { out[row + index] |= UInt64(ranks[Int(codes[index])]) << shift }
                        } else {
                            for index in 0..<chunk.rowCount { out[row + index] |= UInt64(codes[index]) << shift }
                        }
                    }
                }
                row += chunk.rowCount
            }
        }
        var sorted = true
        entries.withUnsafeMutableBufferPointer { out in
            for row in 0..<rowCount {
                out[row] |= UInt64(row)
                if row > 0 && out[row] >> 32 < out[row - 1] >> 32 { sorted = false }
            }
        }
        if sorted { return nil }
        radixSort(&entries, keyBits: keyBits)
        return entries.map { UInt32(truncatingIfNeeded: $0) }
    }

    /// Least-significant-digit radix sort on bits 32..<32+keyBits, 11 bits a pass; stable.
    static func radixSort(_ entries: inout [UInt64], keyBits: Int) {
        let digitBits = 11
        let bucketCount = 1 << digitBits
        var buffer = [UInt64](repeating: 0, count: entries.count)
        var counts = [Int](repeating: 0, count: bucketCount)
        var shift = 32
        while shift < 32 + keyBits {
            let currentShift = UInt64(shift)
            let mask = UInt64(bucketCount - 1)
            entries.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { counts in
                        counts.update(repeating: 0)
                        for entry in source { counts[Int((entry >> currentShift) & mask)] += 1 }
                        var total = 0
                        for bucket in 0..<bucketCount { let count = counts[bucket]; counts[bucket] = total; total += count }
                        for entry in source {
                            let bucket = Int((entry >> currentShift) & mask)
                            target[counts[bucket]] = entry
                            counts[bucket] += 1
                        }
                    }
                }
            }
            swap(&entries, &buffer)
            shift += digitBits
        }
    }

    /// Keys too wide to pack into 32 bits: decode them into arrays and sort row numbers by comparison.
    static func comparisonPermutation(_ chunks: [[ColumnChunk]], keys: [KeyColumn], rowCount: Int) throws -> [UInt32]? {
        var scratch: [UInt8] = []
        let columns: [[UInt32]] = try keys.map { key in
            var values = [UInt32](repeating: 0, count: rowCount)
            var row = 0
            for chunk in chunks[key.slot] {
                _ = try values.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress! + row, scratch: &scratch) }
                if let ranks = key.ranks { for index in row..<(row + chunk.rowCount) { values[index] = ranks[Int(values[index])] } }
                row += chunk.rowCount
            }
            return values
        }
        func precedes(_ a: Int, _ b: Int) -> Bool {
            for column in columns where column[a] != column[b] { return column[a] < column[b] }
            return a < b
        }
        if (1..<max(1, rowCount)).allSatisfy({ !precedes($0, $0 - 1) }) { return nil }
        return (0..<rowCount).sorted(by: precedes).map { UInt32($0) }
    }

    // MARK: - Columns

    /// One column decoded whole, gathered in key order and encoded into row groups.
    ///
    /// The column is held as offsets from its minimum in the narrowest unsigned integer that
    /// covers its span: the gather reads rows in random order, so a column of one-byte codes
    /// stays in cache where eight bytes a row would not.
    static func gather(_ chunks: [ColumnChunk], type: ColumnType, order: UnsafeBufferPointer<UInt32>, groupSizes: [Int],
                       finalGroups: Int, buffers: ColumnBuffers) throws -> [ColumnChunk] {
        var decoded: [Int64] = []
        var scratch: [UInt8] = []
        var low = Int64.max, high = Int64.min
        for (index, chunk) in chunks.enumerated() {
            // Pending chunks carry their range; final ones (their statistics leave out NULL
            // rows) are decoded to find it.
            if index >= finalGroups, let range = chunk.statistics.integerRange {
                low = min(low, range.lowerBound)
                high = max(high, range.upperBound)
                continue
            }
            if decoded.isEmpty { decoded = [Int64](repeating: 0, count: ColumnChunk.maximumRowCount) }
            _ = try decoded.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
            for value in decoded[0..<chunk.rowCount] {
                low = min(low, value)
                high = max(high, value)
            }
        }
        guard low <= high else { return try gather(chunks, as: UInt8.self, base: 0, type: type, order: order, groupSizes: groupSizes, buffers: buffers) }
        switch IntegerCodec.byteWidthFor(span: UInt64(bitPattern: high &- low)) {
        case 1: return try gather(chunks, as: UInt8.self, base: low, type: type, order: order, groupSizes: groupSizes, buffers: buffers)
        case 2: return try gather(chunks, as: UInt16.self, base: low, type: type, order: order, groupSizes: groupSizes, buffers: buffers)
        case 4: return try gather(chunks, as: UInt32.self, base: low, type: type, order: order, groupSizes: groupSizes, buffers: buffers)
        default: return try gather(chunks, as: UInt64.self, base: low, type: type, order: order, groupSizes: groupSizes, buffers: buffers)
        }
    }

    /// `gather` with the column held as `Narrow` offsets from `base`.
    static func gather<Narrow: FixedWidthInteger & UnsignedInteger>(
        _ chunks: [ColumnChunk], as _: Narrow.Type, base: Int64, type: ColumnType,
        order: UnsafeBufferPointer<UInt32>, groupSizes: [Int], buffers: ColumnBuffers
    ) throws -> [ColumnChunk] {
        let rowCount = order.count
        let storage = buffers.take(byteCount: rowCount * MemoryLayout<Narrow>.stride)
        defer { buffers.give(storage) }
        let column = storage.bindMemory(to: Narrow.self)
        var nullWords: [UInt64]? = nil
        var decoded = [Int64](repeating: 0, count: ColumnChunk.maximumRowCount)
        var scratch: [UInt8] = []
        var row = 0
        for chunk in chunks {
            let mask = try decoded.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
            decoded.withUnsafeBufferPointer { decoded in
                for index in 0..<chunk.rowCount { column[row + index] = Narrow(truncatingIfNeeded: decoded[index] &- base) }
            }
            if let mask {
                if nullWords == nil { nullWords = [UInt64](repeating: 0, count: (rowCount + 63) / 64) }
                if row & 63 == 0 {
                    // Chunks start on a word boundary (row groups are whole words of rows).
                    for (word, bits) in mask.words.enumerated() { nullWords![(row >> 6) + word] |= bits }
                } else {
                    for index in 0..<chunk.rowCount where mask.isNull(index) {
                        nullWords![(row + index) >> 6] |= 1 << UInt64((row + index) & 63)
                    }
                }
            }
            row += chunk.rowCount
        }
        var output: [ColumnChunk] = []
        output.reserveCapacity(groupSizes.count)
        var group = [Int64](repeating: 0, count: groupSizes.first ?? 0)
        var start = 0
        for size in groupSizes {
            var nulls: NullMask? = nil
            group.withUnsafeMutableBufferPointer { group in
                for index in 0..<size { group[index] = base &+ Int64(truncatingIfNeeded: column[Int(order[start + index])]) }
            }
            if let nullWords {
                for index in 0..<size {
                    let source = Int(order[start + index])
                    if nullWords[source >> 6] & (1 << UInt64(source & 63)) != 0 {
                        if nulls == nil { nulls = NullMask(rowCount: size) }
                        nulls!.setNull(index)
                    }
                }
                if let nulls { group.withUnsafeMutableBufferPointer { Self.fillNullRows(UnsafeMutableBufferPointer(rebasing: $0[0..<size]), nulls: nulls) } }
            }
            output.append(try group.withUnsafeBufferPointer {
                try ChunkEncoder.encode(UnsafeBufferPointer(rebasing: $0[0..<size]), nulls: nulls, type: type)
            })
            start += size
        }
        return output
    }

    /// Decoded-column buffers handed from one column's gather to the next: a fresh buffer of
    /// tens of megabytes per column would be faulted in and zeroed by the kernel page by page.
    final class ColumnBuffers: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [UnsafeMutableRawBufferPointer] = []

        deinit { for buffer in free { buffer.deallocate() } }

        /// A buffer of at least `byteCount` bytes; a free one too small is dropped for a larger
        /// one, so there are never more buffers than columns gathered at once.
        func take(byteCount: Int) -> UnsafeMutableRawBufferPointer {
            lock.lock()
            var reused: UnsafeMutableRawBufferPointer? = nil
            var dropped: UnsafeMutableRawBufferPointer? = nil
            if let index = free.lastIndex(where: { $0.count >= byteCount }) { reused = free.remove(at: index) } else { dropped = free.popLast() }
            lock.unlock()
            dropped?.deallocate()
            return reused ?? .allocate(byteCount: max(1, byteCount), alignment: 16)
        }

        func give(_ buffer: UnsafeMutableRawBufferPointer) {
            lock.lock()
            free.append(buffer)
            lock.unlock()
        }
    }

    // MARK: - Chunks awaiting the sort

    /// A first-pass chunk of rows still to be sorted: decoded again soon, so no zstd, and its
    /// statistics hold only the range of every stored value (NULL fillers included), which sizes
    /// the column the gather decodes it into without a decoding pass of its own.
    static func pendingChunk(_ values: UnsafeBufferPointer<Int64>, nulls: NullMask?) throws -> ColumnChunk {
        var low = Int64.max, high = Int64.min
        for value in values {
            low = min(low, value)
            high = max(high, value)
        }
        let statistics = ChunkStatistics(rowCount: values.count, nullCount: 0, integerRange: low <= high ? low...high : nil)
        return try IntegerCodec.encode(values, nulls: nulls, statistics: statistics, level: nil)
    }

    /// A first-pass chunk, decoded and encoded again with zstd.
    static func recompress(_ chunk: ColumnChunk, type: ColumnType) throws -> ColumnChunk {
        var values = [Int64](repeating: 0, count: chunk.rowCount)
        var scratch: [UInt8] = []
        let nulls = try values.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
        if let nulls { values.withUnsafeMutableBufferPointer { fillNullRows($0, nulls: nulls) } }
        return try values.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nulls, type: type) }
    }

    /// NULL rows take their predecessor's value, so that runs survive them.
    static func fillNullRows(_ values: UnsafeMutableBufferPointer<Int64>, nulls: NullMask) {
        var previous: Int64 = 0
        for row in values.indices {
            if nulls.isNull(row) { values[row] = previous }
            previous = values[row]
        }
    }
}
