import Testing
@testable import ChurnStorage

/// Decoding chosen rows of a chunk, and the cache of decompressed chunks scans share.
@Suite struct ChunkRowsAndCacheTests {
    private func encode(_ values: [Int64], nulls: NullMask? = nil) throws -> ColumnChunk {
        try values.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nulls, type: .integer) }
    }

    private func decode(_ chunk: ColumnChunk, rows: [Int32]) throws -> ([Int64], [Bool]?) {
        var out = [Int64](repeating: -1, count: rows.count)
        var scratch: [UInt8] = []
        let nulls = try rows.withUnsafeBufferPointer { rows in
            try out.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, rows: rows, into: $0.baseAddress!, scratch: &scratch) }
        }
        return (out, nulls)
    }

    @Test(arguments: ["constant", "plain", "runs", "shortRuns", "sparse", "plainWithNulls", "sparseWithNulls"])
    func chosenRowsEqualTheWholeDecode(shape: String) throws {
        let count = 20_000
        var values: [Int64]
        var nulls: NullMask? = nil
        switch shape {
        case "constant": values = Array(repeating: 7, count: count)
        case "plain", "plainWithNulls": values = (0..<count).map { Int64(($0 * 7919) % 100_003) - 50_000 }
        case "runs": values = (0..<count).map { Int64($0 / 37) * 3 }
        case "shortRuns": values = (0..<count).map { Int64(($0 / 5) % 7) }
        default: values = (0..<count).map { $0 % 97 == 5 ? Int64($0) : 0 }
        }
        if shape.hasSuffix("WithNulls") {
            var mask = NullMask(rowCount: count)
            for row in stride(from: 3, to: count, by: 11) { mask.setNull(row); values[row] = 0 }
            nulls = mask
        }
        let chunk = try encode(values, nulls: nulls)
        let expectedEncoding: [String: ChunkEncoding] = ["constant": .constant, "plain": .plain, "runs": .runLength, "shortRuns": .runLength, "sparse": .sparse]
        if let expected = expectedEncoding[shape] { #expect(chunk.encoding == expected) }
        let rows: [Int32] = [0, 1, 2, 3, 5, 14, 39, 40, 41, 97 + 5, 1000, 1_001, 1_039, 9_999, 10_000, 15_555, 19_998, 19_999]
        let (picked, pickedNulls) = try decode(chunk, rows: rows)
        for (index, row) in rows.enumerated() {
            let isNull = nulls?.isNull(Int(row)) ?? false
            #expect((pickedNulls?[index] ?? false) == isNull, "row \(row)")
            if !isNull { #expect(picked[index] == values[Int(row)], "row \(row)") }
        }
        #expect((pickedNulls != nil) == (nulls != nil))
    }

    @Test func rowsOutOfOrderOrPastTheChunkAreRefused() throws {
        let chunk = try encode((0..<100).map { Int64($0) })
        #expect(throws: StorageError.self) { try decode(chunk, rows: [5, 4]) }
        #expect(throws: StorageError.self) { try decode(chunk, rows: [100]) }
    }

    /// Rows far fewer than the runs are found through the run index, kept in the cache: every
    /// run's first and last row, rows deep inside long runs and the chunk's last row decode as
    /// the whole chunk does, and the index goes with its chunk.
    @Test func fewRowsOfManyRunsReadThroughTheRunIndex() throws {
        // Runs of 1 to 40 rows, 1,000 of them.
        var values: [Int64] = []
        for run in 0..<1_000 { values += repeatElement(Int64(run % 17) * 1_000 - Int64(run % 3), count: 1 + (run * 7919) % 40) }
        var chunk: ColumnChunk? = try encode(values)
        #expect(chunk!.encoding == .runLength && chunk!.entryCount >= IntegerCodec.indexedRunCount)
        var starts: [Int32] = [0]
        for row in 1..<values.count where values[row] != values[row - 1] { starts.append(Int32(row)) }
        for pick in [stride(from: 0, to: starts.count, by: 9).map { starts[$0] },
                     stride(from: 1, to: starts.count, by: 13).map { starts[$0] - 1 },
                     [0, 1, 2, Int32(values.count / 2), Int32(values.count - 2), Int32(values.count - 1)]] {
            #expect(pick.count * 2 < chunk!.entryCount)
            let (picked, nulls) = try decode(chunk!, rows: pick)
            #expect(nulls == nil)
            #expect(picked == pick.map { values[Int($0)] })
        }
        // The run ends, then for each block of 64 rows the run holding its first row.
        let index = try #require(DecompressedChunkCache.shared.runIndex(for: chunk!.body.cacheKey))
        let runs = chunk!.entryCount, blocks = (values.count + 63) / 64
        #expect(index.count == runs + blocks)
        #expect(Array(index[0..<runs]) == starts.dropFirst().map { $0 } + [Int32(values.count)])
        for block in 0..<blocks {
            let run = Int(index[runs + block])
            #expect(Int(starts[run]) <= block * 64 && block * 64 < Int(index[run]), "block \(block)")
        }
        let id = ObjectIdentifier(chunk!.body.cacheKey)
        chunk = nil
        #expect(!DecompressedChunkCache.shared.holdsEntry(for: id))
    }

    /// A damaged run-length chunk whose lengths cover fewer rows than it holds is an error, not a
    /// read past its runs.
    @Test func runLengthsThatFallShortAreRefused() throws {
        var values: [Int64] = []
        for run in 0..<400 { values += repeatElement(Int64(run % 5), count: 1 + run % 9) }
        let chunk = try encode(values)
        #expect(chunk.encoding == .runLength)
        let lengths = [UInt8](repeating: 0, count: chunk.entryCount * 2)  // every run one row long
        #expect(throws: StorageError.self) {
            _ = try lengths.withUnsafeBytes { try IntegerCodec.runIndex(of: chunk, lengths: $0.baseAddress!, cache: DecompressedChunkCache(budgetBytes: 1 << 20)) }
        }
    }

    /// Few rows far apart among many listed positions of a sparse chunk: found by galloping over
    /// the positions between them, equal to the whole decode, listed or not, first and last.
    @Test func fewRowsOfManySparsePositionsGallop() throws {
        let count = 30_000
        let values: [Int64] = (0..<count).map { $0 % 9 == 4 ? Int64($0 % 1_000) + 1 : 0 }
        let chunk = try encode(values)
        #expect(chunk.encoding == .sparse && chunk.entryCount > 3_000)
        for pick in [stride(from: 4, to: count, by: 9 * 300).map { Int32($0) },         // listed rows
                     stride(from: 0, to: count, by: 1_111).map { Int32($0) },            // mostly unlisted
                     [0, 4, 5, 13, 14, Int32(count - 3), Int32(count - 2), Int32(count - 1)],
                     [Int32(count - 1)]] {
            let (picked, nulls) = try decode(chunk, rows: pick)
            #expect(nulls == nil)
            #expect(picked == pick.map { values[Int($0)] })
        }
    }

    /// Run indexes count against the budget beside packed bytes, and go with the least recently used.
    @Test func runIndexesShareTheBudget() {
        let cache = DecompressedChunkCache(budgetBytes: 8_000)
        let keys = (0..<5).map { _ in DecompressedChunkCache.CacheKey() }
        cache.insert(runIndex: [Int32](repeating: 1, count: 250), for: keys[0])
        cache.insert([UInt8](repeating: 1, count: 1_000), for: keys[0])
        #expect(cache.usage.bytes == 2_000)
        #expect(cache.usage.chunks == 1 && cache.usage.runIndexes == 1)
        // An index larger than an eighth of the budget is not kept.
        cache.insert(runIndex: [Int32](repeating: 1, count: 251), for: keys[1])
        #expect(cache.runIndex(for: keys[1]) == nil)
        for key in keys.dropFirst() { cache.insert(runIndex: [Int32](repeating: 2, count: 250), for: key) }
        for key in keys.dropFirst() { cache.insert([UInt8](repeating: 2, count: 1_000), for: key) }
        #expect(cache.usage.bytes <= 8_000)
        #expect(cache.runIndex(for: keys[0]) == nil)
        #expect(cache.runIndex(for: keys[4]) == [Int32](repeating: 2, count: 250))
        cache.setBudget(bytes: 0)
        #expect(cache.usage.bytes == 0 && cache.usage.runIndexes == 0)
    }

    @Test func cacheKeepsWhatFitsAndDropsTheLeastRecentlyUsed() {
        let cache = DecompressedChunkCache(budgetBytes: 8_000)
        let keys = (0..<10).map { _ in DecompressedChunkCache.CacheKey() }
        #expect(cache.accepts(byteCount: 1_000))
        #expect(!cache.accepts(byteCount: 1_001))
        for (index, key) in keys.enumerated() { cache.insert([UInt8](repeating: UInt8(index), count: 1_000), for: key) }
        // Eight fit; the ninth evicts the oldest down to 90% of the budget.
        let usage = cache.usage
        #expect(usage.bytes <= 8_000)
        #expect(cache.bytes(for: keys[0]) == nil)
        #expect(cache.bytes(for: keys[9]) == [UInt8](repeating: 9, count: 1_000))
        #expect(cache.usage.hits == 1)
        #expect(cache.usage.misses == 1)
        cache.setBudget(bytes: 0)
        #expect(cache.usage.bytes == 0 && cache.usage.chunks == 0)
        #expect(cache.bytes(for: keys[9]) == nil)
    }

    @Test func aCompressedChunkIsDecompressedOnceAndForgottenWithIt() throws {
        // Compressible plain values, large enough for zstd to be kept.
        let values = (0..<30_000).map { Int64(($0 % 500) * 1_000_003) }
        var chunk: ColumnChunk? = try encode(values)
        #expect(chunk!.isCompressed)
        var scratch: [UInt8] = []
        let before = DecompressedChunkCache.shared.usage
        var out = [Int64](repeating: 0, count: values.count)
        for _ in 0..<3 {
            _ = try out.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk!, into: $0.baseAddress!, scratch: &scratch) }
            #expect(out == values)
        }
        let after = DecompressedChunkCache.shared.usage
        #expect(after.hits - before.hits >= 2)
        #expect(DecompressedChunkCache.shared.bytes(for: chunk!.body.cacheKey)?.count == chunk!.packedByteCount)
        let id = ObjectIdentifier(chunk!.body.cacheKey)
        chunk = nil
        #expect(!DecompressedChunkCache.shared.holdsEntry(for: id))
    }
}
