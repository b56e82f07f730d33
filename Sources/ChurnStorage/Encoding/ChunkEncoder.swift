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

    static func computeStatistics(_ values: UnsafeBufferPointer<Int64>, nulls: NullMask?, type: ColumnType) -> ChunkStatistics {
        let rowCount = values.count
        switch type {
        case .dimension:
            var nullCount = 0
            var low = Int64.max, high = Int64.min
            // A short list, not a bitmap: codes can be as large as the dictionary.
            var seen: [UInt32] = []
            var distinctOverflow = false
            var previous: Int64 = -1
            for code in values {
                if code == 0 { nullCount += 1; continue }
                if code < low { low = code }
                if code > high { high = code }
                if !distinctOverflow && code != previous {
                    previous = code
                    if !seen.contains(UInt32(code)) {
                        seen.append(UInt32(code))
                        if seen.count > ChunkStatistics.distinctCodeLimit { distinctOverflow = true }
                    }
                }
            }
            let range: ClosedRange<Int64>? = low <= high ? low...high : nil
            return ChunkStatistics(rowCount: rowCount, nullCount: nullCount, integerRange: range,
                                   distinctCodes: distinctOverflow ? nil : seen.sorted())
        case .integer, .decimal:
            var low = Int64.max, high = Int64.min
            for (row, value) in values.enumerated() where !(nulls?.isNull(row) ?? false) {
                if value < low { low = value }
                if value > high { high = value }
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
