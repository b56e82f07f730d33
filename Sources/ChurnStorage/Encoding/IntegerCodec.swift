/// Chooses and applies a chunk's lightweight encoding, then zstd; and reverses both.
package enum IntegerCodec {
    /// zstd must save at least this fraction of the packed bytes to be worth its decompression.
    static let minimumCompressionSaving = 0.1

    // MARK: - Encode

    /// Encodes one chunk of values. NULL rows (marked in `nulls`) must already hold a filler value.
    package static func encode(_ values: UnsafeBufferPointer<Int64>, nulls: NullMask?,
                               statistics: ChunkStatistics, level: Int32? = Zstd.defaultLevel) throws -> ColumnChunk {
        let rowCount = values.count
        precondition(rowCount <= ColumnChunk.maximumRowCount, "chunk longer than \(ColumnChunk.maximumRowCount) rows")
        let nullCount = nulls?.nullCount ?? 0

        var minimum = Int64.max, maximum = Int64.min
        var runCount = 0, nonZeroCount = 0
        if let first = values.first {
            // Every chunk passes here, so the loop keeps all it needs in registers and counts
            // without branches or overflow checks (a count never exceeds the row count).
            var previous = first
            runCount = 1
            for value in values {
                minimum = Swift.min(minimum, value)
                maximum = Swift.max(maximum, value)
                runCount &+= Int(unsafeBitCast(value != previous, to: UInt8.self))
                nonZeroCount &+= Int(unsafeBitCast(value != 0, to: UInt8.self))
                previous = value
            }
        }

        var writer: ByteWriter
        var encoding: ChunkEncoding
        var byteWidth = 0, base: Int64 = 0, common: Int64 = 0, entryCount = 0

        if rowCount == 0 || minimum == maximum {
            encoding = .constant
            base = rowCount == 0 ? 0 : minimum
            writer = ByteWriter(capacity: nulls == nil ? 0 : (rowCount + 7) / 8)
        } else {
            let width = byteWidthFor(span: UInt64(bitPattern: maximum &- minimum))
            let plainSize = rowCount * width
            let runSize = runCount * (width + 2)
            // Sparse pays when zero is the common value and few positions differ from it.
            var sparseWidth = 8, sparseBase: Int64 = 0
            var sparseSize = Int.max
            if nonZeroCount < rowCount / 4 {
                var low = Int64.max, high = Int64.min
                for value in values where value != 0 {
                    low = min(low, value); high = max(high, value)
                }
                sparseBase = low
                sparseWidth = byteWidthFor(span: UInt64(bitPattern: high &- low))
                sparseSize = nonZeroCount * (2 + sparseWidth)
            }
            if sparseSize < plainSize && sparseSize <= runSize {
                encoding = .sparse
                byteWidth = sparseWidth
                base = sparseBase
                common = 0
                entryCount = nonZeroCount
                writer = ByteWriter(capacity: sparseSize + (rowCount + 7) / 8)
                writer.write(byteCount: sparseSize) { out in
                    let packedValues = out + nonZeroCount * 2
                    var entry = 0
                    for (position, value) in values.enumerated() where value != 0 {
                        out.storeBytes(of: UInt16(position).littleEndian, toByteOffset: entry * 2, as: UInt16.self)
                        storePacked(value &- sparseBase, at: entry, width: sparseWidth, into: packedValues)
                        entry += 1
                    }
                }
            } else if runSize < plainSize {
                encoding = .runLength
                byteWidth = width
                base = minimum
                entryCount = runCount
                writer = ByteWriter(capacity: runSize + (rowCount + 7) / 8)
                writer.write(byteCount: runSize) { out in
                    let lengths = out + runCount * width
                    var index = 0, run = 0
                    while index < rowCount {
                        let value = values[index]
                        var end = index + 1
                        while end < rowCount && values[end] == value { end += 1 }
                        storePacked(value &- minimum, at: run, width: width, into: out)
                        lengths.storeBytes(of: UInt16(end - index - 1).littleEndian, toByteOffset: run * 2, as: UInt16.self)
                        run += 1
                        index = end
                    }
                }
            } else {
                encoding = .plain
                byteWidth = width
                base = minimum
                writer = ByteWriter(capacity: plainSize + (rowCount + 7) / 8)
                writer.write(byteCount: plainSize) { out in packAll(values, base: minimum, width: width, into: out) }
            }
        }
        if let nulls, nullCount > 0 { nulls.write(to: &writer) }

        let packed = writer.bytes
        var body = packed
        var isCompressed = false
        if packed.count >= 64, let level {
            do {
                let frame = try Zstd.compress(packed, level: level)
                if Double(frame.count) <= Double(packed.count) * (1 - minimumCompressionSaving) {
                    body = frame
                    isCompressed = true
                }
            } catch let error as ZstdError {
                throw StorageError.compression(error)
            }
        }
        return ColumnChunk(encoding: encoding, rowCount: rowCount, byteWidth: byteWidth, base: base, common: common,
                           entryCount: entryCount, nullCount: nullCount, isCompressed: isCompressed, body: ChunkBody(body),
                           packedByteCount: packed.count, statistics: statistics)
    }

    package static func byteWidthFor(span: UInt64) -> Int {
        switch span {
        case 0...0xFF: return 1
        case 0...0xFFFF: return 2
        case 0...0xFFFF_FFFF: return 4
        default: return 8
        }
    }

    /// Stores `offset` as the `index`-th little-endian value of `width` bytes at `destination`.
    @inline(__always)
    static func storePacked(_ offset: Int64, at index: Int, width: Int, into destination: UnsafeMutableRawPointer) {
        switch width {
        case 1: destination.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: index, as: UInt8.self)
        case 2: destination.storeBytes(of: UInt16(truncatingIfNeeded: offset).littleEndian, toByteOffset: index &* 2, as: UInt16.self)
        case 4: destination.storeBytes(of: UInt32(truncatingIfNeeded: offset).littleEndian, toByteOffset: index &* 4, as: UInt32.self)
        default: destination.storeBytes(of: offset.littleEndian, toByteOffset: index &* 8, as: Int64.self)
        }
    }

    /// Every value minus `base` in `width` bytes: one loop per width, the inverse of `unpack`.
    static func packAll(_ values: UnsafeBufferPointer<Int64>, base: Int64, width: Int, into destination: UnsafeMutableRawPointer) {
        switch width {
        case 1: for index in values.indices { storePacked(values[index] &- base, at: index, width: 1, into: destination) }
        case 2: for index in values.indices { storePacked(values[index] &- base, at: index, width: 2, into: destination) }
        case 4: for index in values.indices { storePacked(values[index] &- base, at: index, width: 4, into: destination) }
        default: for index in values.indices { storePacked(values[index] &- base, at: index, width: 8, into: destination) }
        }
    }

    // MARK: - Decode

    /// Decodes a chunk into `destination` (room for `chunk.rowCount` values) and returns its NULL
    /// rows, if any. `scratch` is reused between calls to avoid an allocation per chunk.
    package static func decode(_ chunk: ColumnChunk, into destination: UnsafeMutablePointer<Int64>,
                               scratch: inout [UInt8]) throws -> NullMask? {
        try decodeValues(chunk, into: destination, scratch: &scratch)
    }

    /// Decodes a dimension chunk's codes.
    package static func decode(_ chunk: ColumnChunk, into destination: UnsafeMutablePointer<UInt32>,
                               scratch: inout [UInt8]) throws -> NullMask? {
        try decodeValues(chunk, into: destination, scratch: &scratch)
    }

    static func decodeValues<T: FixedWidthInteger>(_ chunk: ColumnChunk, into destination: UnsafeMutablePointer<T>,
                                                   scratch: inout [UInt8]) throws -> NullMask? {
        let rowCount = chunk.rowCount
        let nullBytes = chunk.nullCount > 0 ? (rowCount + 7) / 8 : 0
        let expected = try expectedPackedSize(chunk) + nullBytes
        guard expected == chunk.packedByteCount else {
            throw StorageError.malformed("chunk header describes \(expected) packed bytes but records \(chunk.packedByteCount)")
        }
        return try withPackedBytes(chunk, scratch: &scratch) { (packed: UnsafeRawBufferPointer) throws -> NullMask? in
            let base = chunk.base
            let width = chunk.byteWidth
            switch chunk.encoding {
            case .constant:
                destination.update(repeating: T(truncatingIfNeeded: base), count: rowCount)
            case .plain:
                unpack(packed.baseAddress!, count: rowCount, width: width, base: base, into: destination)
            case .runLength:
                let runs = chunk.entryCount
                let lengths = packed.baseAddress! + runs * width
                var row = 0
                for run in 0..<runs {
                    let value = T(truncatingIfNeeded: base &+ unpackOne(packed.baseAddress!, index: run, width: width))
                    let length = Int(UInt16(littleEndian: lengths.loadUnaligned(fromByteOffset: run * 2, as: UInt16.self))) + 1
                    guard row + length <= rowCount else { throw StorageError.malformed("run lengths exceed the chunk's \(rowCount) rows") }
                    (destination + row).update(repeating: value, count: length)
                    row += length
                }
                guard row == rowCount else { throw StorageError.malformed("run lengths cover \(row) of \(rowCount) rows") }
            case .sparse:
                destination.update(repeating: T(truncatingIfNeeded: chunk.common), count: rowCount)
                let entries = chunk.entryCount
                let values = packed.baseAddress! + entries * 2
                for entry in 0..<entries {
                    let position = Int(UInt16(littleEndian: packed.loadUnaligned(fromByteOffset: entry * 2, as: UInt16.self)))
                    guard position < rowCount else { throw StorageError.malformed("sparse position \(position) outside the chunk's \(rowCount) rows") }
                    destination[position] = T(truncatingIfNeeded: base &+ unpackOne(values, index: entry, width: width))
                }
            }
            guard nullBytes > 0 else { return nil }
            let mask = NullMask(rowCount: rowCount, bytes: UnsafeRawBufferPointer(rebasing: packed.suffix(nullBytes)))
            guard mask.nullCount == chunk.nullCount else {
                throw StorageError.malformed("null bitmap marks \(mask.nullCount) rows, header says \(chunk.nullCount)")
            }
            return mask
        }
    }

    package static func expectedPackedSize(_ chunk: ColumnChunk) throws -> Int {
        guard [0, 1, 2, 4, 8].contains(chunk.byteWidth), chunk.rowCount >= 0, chunk.rowCount <= ColumnChunk.maximumRowCount,
              chunk.entryCount >= 0, chunk.entryCount <= chunk.rowCount, chunk.nullCount >= 0, chunk.nullCount <= chunk.rowCount
        else { throw StorageError.malformed("chunk header is inconsistent") }
        switch chunk.encoding {
        case .constant: return 0
        case .plain: return chunk.rowCount * chunk.byteWidth
        case .runLength: return chunk.entryCount * (chunk.byteWidth + 2)
        case .sparse: return chunk.entryCount * (chunk.byteWidth + 2)
        }
    }

    /// Hands the packed bytes to `body`, decompressing a zstd chunk when the cache does not hold
    /// it. Every decode passes here, so mapped chunk bytes are always verified against their
    /// checksum first. `scratch` serves chunks too large for the cache.
    static func withPackedBytes<R>(_ chunk: ColumnChunk, scratch: inout [UInt8],
                                   cache: DecompressedChunkCache = .shared,
                                   _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        if !chunk.isCompressed {
            guard chunk.body.count == chunk.packedByteCount else {
                throw StorageError.malformed("raw chunk holds \(chunk.body.count) bytes, expected \(chunk.packedByteCount)")
            }
            return try chunk.body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> R in try body(raw) }
        }
        if let cached = cache.bytes(for: chunk.body.cacheKey) {
            return try cached.withUnsafeBytes { (packed: UnsafeRawBufferPointer) throws -> R in try body(packed) }
        }
        let count = chunk.packedByteCount
        guard cache.accepts(byteCount: count) else {
            if scratch.count < count { scratch = [UInt8](repeating: 0, count: count) }
            try scratch.withUnsafeMutableBytes { out in try decompress(chunk, into: UnsafeMutableRawBufferPointer(rebasing: out[0..<count])) }
            return try scratch.withUnsafeBytes { (all: UnsafeRawBufferPointer) throws -> R in
                try body(UnsafeRawBufferPointer(rebasing: all[0..<count]))
            }
        }
        var decompressed = [UInt8](repeating: 0, count: count)
        try decompressed.withUnsafeMutableBytes { out in try decompress(chunk, into: out) }
        cache.insert(decompressed, for: chunk.body.cacheKey)
        return try decompressed.withUnsafeBytes { (packed: UnsafeRawBufferPointer) throws -> R in try body(packed) }
    }

    /// The chunk's zstd frame into `destination` (exactly its packed size).
    private static func decompress(_ chunk: ColumnChunk, into destination: UnsafeMutableRawBufferPointer) throws {
        do {
            try chunk.body.withUnsafeBytes { frame in try Zstd.decompress(frame, into: destination) }
        } catch let error as ZstdError {
            throw StorageError.compression(error)
        }
    }

    @inline(__always)
    static func unpackOne(_ source: UnsafeRawPointer, index: Int, width: Int) -> Int64 {
        switch width {
        case 1: return Int64(source.load(fromByteOffset: index, as: UInt8.self))
        case 2: return Int64(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)))
        case 4: return Int64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
        default: return Int64(littleEndian: source.loadUnaligned(fromByteOffset: index * 8, as: Int64.self))
        }
    }

    /// The hot loop of every scan: one specialised loop per width.
    static func unpack<T: FixedWidthInteger>(_ source: UnsafeRawPointer, count: Int, width: Int, base: Int64,
                                             into destination: UnsafeMutablePointer<T>) {
        switch width {
        case 1:
            let bytes = source.assumingMemoryBound(to: UInt8.self)
            for index in 0..<count { destination[index] = T(truncatingIfNeeded: base &+ Int64(bytes[index])) }
        case 2:
            for index in 0..<count {
                destination[index] = T(truncatingIfNeeded: base &+ Int64(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))))
            }
        case 4:
            for index in 0..<count {
                destination[index] = T(truncatingIfNeeded: base &+ Int64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))))
            }
        default:
            for index in 0..<count {
                destination[index] = T(truncatingIfNeeded: base &+ Int64(littleEndian: source.loadUnaligned(fromByteOffset: index &* 8, as: Int64.self)))
            }
        }
    }
}
