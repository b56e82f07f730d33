/// Turns a row group's values for one column into a `ColumnChunk`: statistics, then encoding.
package enum ChunkEncoder {
    /// `values` holds codes, integers, scaled decimals or double bit patterns according to `type`;
    /// NULL rows are marked in `nulls` (dimensions use code 0 instead and pass no mask).
    /// A nil `level` skips zstd (chunks that are decoded again soon, as before a sort).
    package static func encode(_ values: UnsafeBufferPointer<Int64>, nulls: NullMask?, type: ColumnType,
                               level: Int32? = Zstd.defaultLevel) throws -> ColumnChunk {
        let statistics = computeStatistics(values, nulls: nulls, type: type)
        return try IntegerCodec.encode(values, nulls: nulls, statistics: statistics, level: level)
    }

    /// Codes below this are tracked in a bitmap when a chunk's distinct codes are listed.
    static let smallCodeLimit: Int64 = 4096

    static func computeStatistics(_ values: UnsafeBufferPointer<Int64>, nulls: NullMask?, type: ColumnType) -> ChunkStatistics {
        let rowCount = values.count
        switch type {
        case .dimension:
            var nullCount = 0
            var low = Int64.max, high = Int64.min
            // Small codes are marked in a bitmap (a column whose code changes every row would
            // otherwise search the list once a row); larger ones, which can be as large as the
            // dictionary, in a short list.
            var smallSeen = [UInt64](repeating: 0, count: Int(smallCodeLimit) / 64)
            var seen: [UInt32] = []
            var distinctCount = 0
            var distinctOverflow = false
            var previous: Int64 = -1
            smallSeen.withUnsafeMutableBufferPointer { smallSeen in
                for code in values {
                    if code == 0 { nullCount += 1; continue }
                    if code < low { low = code }
                    if code > high { high = code }
                    if !distinctOverflow && code != previous {
                        previous = code
                        if UInt64(bitPattern: code) < UInt64(smallCodeLimit) {
                            let bit: UInt64 = 1 << UInt64(code & 63)
                            if smallSeen[Int(code >> 6)] & bit != 0 { continue }
                            smallSeen[Int(code >> 6)] |= bit
                        } else {
                            if seen.contains(UInt32(code)) { continue }
                            seen.append(UInt32(code))
                        }
                        distinctCount += 1
                        if distinctCount > ChunkStatistics.distinctCodeLimit { distinctOverflow = true }
                    }
                }
            }
            var distinctCodes: [UInt32]? = nil
            if !distinctOverflow {
                var codes: [UInt32] = []
                codes.reserveCapacity(distinctCount)
                for (word, bits) in smallSeen.enumerated() where bits != 0 {
                    for bit in 0..<64 where bits & (1 << UInt64(bit)) != 0 { codes.append(UInt32(word * 64 + bit)) }
                }
                codes.append(contentsOf: seen.sorted())
                distinctCodes = codes
            }
            let range: ClosedRange<Int64>? = low <= high ? low...high : nil
            return ChunkStatistics(rowCount: rowCount, nullCount: nullCount, integerRange: range,
                                   distinctCodes: distinctCodes)
        case .integer, .decimal:
            var low = Int64.max, high = Int64.min
            if let nulls {
                for (row, value) in values.enumerated() where !nulls.isNull(row) {
                    if value < low { low = value }
                    if value > high { high = value }
                }
            } else {
                for value in values {
                    low = min(low, value)
                    high = max(high, value)
                }
            }
            return ChunkStatistics(rowCount: rowCount, nullCount: nulls?.nullCount ?? 0,
                                   integerRange: low <= high ? low...high : nil)
        case .double:
            var low = Double.infinity, high = -Double.infinity
            for (row, bits) in values.enumerated() where !(nulls?.isNull(row) ?? false) {
                let value = Double(bitPattern: UInt64(bitPattern: bits))
                if value < low { low = value }
                if value > high { high = value }
            }
            return ChunkStatistics(rowCount: rowCount, nullCount: nulls?.nullCount ?? 0,
                                   doubleRange: low <= high ? low...high : nil)
        }
    }
}

extension IntegerCodec {
    /// Decodes a double column's chunk (stored as bit patterns).
    package static func decode(_ chunk: ColumnChunk, into destination: UnsafeMutablePointer<Double>,
                               scratch: inout [UInt8]) throws -> NullMask? {
        try UnsafeMutableRawPointer(destination).withMemoryRebound(to: Int64.self, capacity: chunk.rowCount) {
            try decodeValues(chunk, into: $0, scratch: &scratch)
        }
    }
}
