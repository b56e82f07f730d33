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
            case .runLength where chunk.entryCount >= indexedRunCount && rows.count * 2 < chunk.entryCount:
                // Far fewer rows than runs (a month's rows among an account's): each row's run is
                // found from the cached run index, whose table gives the run holding the first
                // row of the row's block; runs that end inside the block are stepped over.
                let runs = chunk.entryCount
                let index = try runIndex(of: chunk, lengths: packed.baseAddress! + runs * width)
                index.withUnsafeBufferPointer { index in
                    let ends = index.baseAddress!
                    let firstRuns = ends + runs
                    var run = 0
                    for (position, row) in rows.enumerated() {
                        // The last run ends past every row, so each step stops by it.
                        run = max(run, Int(firstRuns[Int(row) >> runIndexBlockShift]))
                        while ends[run] <= row { run &+= 1 }
                        destination[position] = base &+ unpackOne(packed.baseAddress!, index: run, width: width)
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
                // Positions ascend as the rows do: walk both together, a few entries at a time,
                // galloping over the long stretches of entries between rows that are far apart.
                let entries = chunk.entryCount
                let positions = packed.baseAddress!
                let values = positions + entries * 2
                @inline(__always) func position(_ entry: Int) -> Int32 {
                    Int32(UInt16(littleEndian: positions.loadUnaligned(fromByteOffset: entry &* 2, as: UInt16.self)))
                }
                var entry = 0
                for (index, row) in rows.enumerated() {
                    let near = min(entries, entry &+ 8)
                    while entry < near && position(entry) < row { entry &+= 1 }
                    if entry == near && entry < entries && position(entry) < row {
                        // position(low) < row; double the step until position(high) >= row or the
                        // entries end, then halve the gap.
                        var low = entry, step = 1, high = entry &+ 1
                        while high < entries && position(high) < row {
                            low = high
                            step &<<= 1
                            high = low &+ step
                        }
                        high = min(high, entries)
                        while high &- low > 1 {
                            let middle = (low &+ high) >> 1
                            if position(middle) < row { low = middle } else { high = middle }
                        }
                        entry = high
                    }
                    if entry < entries && position(entry) == row {
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

    /// Run-length chunks with at least this many runs keep an index of their runs for reads
    /// of few rows; below it one pass over the lengths is as quick.
    static let indexedRunCount = 64

    /// Rows per block of a run index (as a shift): 64, about three runs of an account's months.
    static let runIndexBlockShift = 6

    /// A run-length chunk's run index: the end row (exclusive) of each run, then for each block
    /// of 64 rows the run that holds the block's first row. From the cache, or built once from
    /// the 2-byte lengths at `lengths` (each one less than its run) and kept there.
    static func runIndex(of chunk: ColumnChunk, lengths: UnsafeRawPointer,
                         cache: DecompressedChunkCache = .shared) throws -> [Int32] {
        if let cached = cache.runIndex(for: chunk.body.cacheKey) { return cached }
        let runs = chunk.entryCount
        let blocks = (chunk.rowCount + (1 << runIndexBlockShift) - 1) >> runIndexBlockShift
        var end = 0
        let index = [Int32](unsafeUninitializedCapacity: runs + blocks) { index, initialized in
            var block = 0
            for run in 0..<runs {
                end += Int(UInt16(littleEndian: lengths.loadUnaligned(fromByteOffset: run * 2, as: UInt16.self))) + 1
                index[run] = Int32(truncatingIfNeeded: end)
                while block < blocks && block << runIndexBlockShift < end {
                    index[runs + block] = Int32(truncatingIfNeeded: run)
                    block += 1
                }
            }
            // Unset only when the lengths fall short, which the check below refuses.
            while block < blocks { index[runs + block] = 0; block += 1 }
            initialized = runs + blocks
        }
        guard end == chunk.rowCount else {
            throw StorageError.malformed("run lengths cover \(end) of \(chunk.rowCount) rows")
        }
        cache.insert(runIndex: index, for: chunk.body.cacheKey)
        return index
    }
}
