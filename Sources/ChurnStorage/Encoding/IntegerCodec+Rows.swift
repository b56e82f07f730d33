extension IntegerCodec {
    /// Decodes only the values at `rows` (ascending row numbers of the chunk) into `destination`
    /// (room for `rows.count` values), and says which of them are NULL (nil: none). Reading a few
    /// rows of a chunk this way (one account's months) touches a handful of bytes instead of
    /// expanding all its rows.
    package static func decode(_ chunk: ColumnChunk, rows: UnsafeBufferPointer<Int32>,
                               into destination: UnsafeMutablePointer<Int64>, scratch: inout [UInt8]) throws -> [Bool]? {
        let rowCount = chunk.rowCount
        let nullBytes = chunk.nullCount > 0 ? (rowCount + 7) / 8 : 0
        let expected = try expectedPackedSize(chunk) + nullBytes
        guard expected == chunk.packedByteCount else {
            throw StorageError.malformed("chunk header describes \(expected) packed bytes but records \(chunk.packedByteCount)")
        }
        var previous: Int32 = -1
        for row in rows {
            guard row > previous, Int(row) < rowCount else {
                throw StorageError.malformed("row \(row) asked of a chunk of \(rowCount) rows, or rows out of order")
            }
            previous = row
        }
        return try withPackedBytes(chunk, scratch: &scratch) { (packed: UnsafeRawBufferPointer) throws -> [Bool]? in
            let base = chunk.base
            let width = chunk.byteWidth
            switch chunk.encoding {
            case .constant:
                destination.update(repeating: base, count: rows.count)
            case .plain:
                for (index, row) in rows.enumerated() {
                    destination[index] = base &+ unpackOne(packed.baseAddress!, index: Int(row), width: width)
                }
            case .runLength where chunk.entryCount >= indexedRunCount && rows.count * 4 < chunk.entryCount:
                // Far fewer rows than runs (a month's rows among an account's): each row's run is
                // found from the previous row's run over the cached run ends, a few steps
                // forward, then galloping.
                let runs = chunk.entryCount
                let ends = try runEnds(of: chunk, lengths: packed.baseAddress! + runs * width)
                ends.withUnsafeBufferPointer { ends in
                    var run = 0
                    for (index, row) in rows.enumerated() {
                        if ends[run] <= row {
                            // The last run ends past every row, so each search stops by it.
                            var high = run &+ 1
                            let near = min(runs - 1, run &+ 8)
                            while high < near && ends[high] <= row { high &+= 1 }
                            if ends[high] <= row {
                                // ends[low] <= row: double the step until ends[high] > row, then halve the gap.
                                var low = high, step = 1
                                high = min(runs - 1, low &+ 1)
                                while ends[high] <= row {
                                    low = high
                                    step &<<= 1
                                    high = min(runs - 1, low &+ step)
                                }
                                while high &- low > 1 {
                                    let middle = (low &+ high) >> 1
                                    if ends[middle] <= row { low = middle } else { high = middle }
                                }
                            }
                            run = high
                        }
                        destination[index] = base &+ unpackOne(packed.baseAddress!, index: run, width: width)
                    }
                }
            case .runLength:
                // One pass over the runs, since the rows ascend.
                let runs = chunk.entryCount
                let lengths = packed.baseAddress! + runs * width
                var run = 0
                var runEnd = 0
                for (index, row) in rows.enumerated() {
                    while Int(row) >= runEnd {
                        guard run < runs else { throw StorageError.malformed("run lengths cover fewer than the chunk's \(rowCount) rows") }
                        runEnd += Int(UInt16(littleEndian: lengths.loadUnaligned(fromByteOffset: run * 2, as: UInt16.self))) + 1
                        run += 1
                    }
                    destination[index] = base &+ unpackOne(packed.baseAddress!, index: run - 1, width: width)
                }
            case .sparse:
                // Positions ascend as the rows do: walk both together.
                let entries = chunk.entryCount
                let values = packed.baseAddress! + entries * 2
                var entry = 0
                for (index, row) in rows.enumerated() {
                    while entry < entries,
                          Int32(UInt16(littleEndian: packed.loadUnaligned(fromByteOffset: entry * 2, as: UInt16.self))) < row {
                        entry += 1
                    }
                    if entry < entries,
                       Int32(UInt16(littleEndian: packed.loadUnaligned(fromByteOffset: entry * 2, as: UInt16.self))) == row {
                        destination[index] = base &+ unpackOne(values, index: entry, width: width)
                    } else {
                        destination[index] = chunk.common
                    }
                }
            }
            guard nullBytes > 0 else { return nil }
            let mask = packed.baseAddress! + (packed.count - nullBytes)
            return rows.map { row in mask.load(fromByteOffset: Int(row) >> 3, as: UInt8.self) & (1 << UInt8(row & 7)) != 0 }
        }
    }

    /// Run-length chunks with at least this many runs keep an index of their run ends for reads
    /// of few rows; below it one pass over the lengths is as quick.
    static let indexedRunCount = 64

    /// The end row (exclusive) of each run of a run-length chunk, whose 2-byte lengths (each one
    /// less than the run) start at `lengths`: from the cache, or summed once and kept there.
    private static func runEnds(of chunk: ColumnChunk, lengths: UnsafeRawPointer,
                                cache: DecompressedChunkCache = .shared) throws -> [Int32] {
        if let cached = cache.runEnds(for: chunk.body.cacheKey) { return cached }
        let runs = chunk.entryCount
        var end = 0
        let ends = [Int32](unsafeUninitializedCapacity: runs) { ends, initialized in
            for run in 0..<runs {
                end += Int(UInt16(littleEndian: lengths.loadUnaligned(fromByteOffset: run * 2, as: UInt16.self))) + 1
                ends[run] = Int32(truncatingIfNeeded: end)
            }
            initialized = runs
        }
        guard end == chunk.rowCount else {
            throw StorageError.malformed("run lengths cover \(end) of \(chunk.rowCount) rows")
        }
        cache.insert(runEnds: ends, for: chunk.body.cacheKey)
        return ends
    }
}
