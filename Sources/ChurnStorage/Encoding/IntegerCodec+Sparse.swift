extension IntegerCodec {
    /// Calls `body(position, value)` for every position of a sparse chunk that differs from its
    /// common value, without expanding the chunk: a sum over a 98%-zero column touches 2% of rows.
    /// Returns false (and calls nothing) for chunks that are not sparse.
    package static func visitSparseEntries(_ chunk: ColumnChunk, scratch: inout [UInt8],
                                           _ body: (Int, Int64) -> Void) throws -> Bool {
        guard chunk.encoding == .sparse else { return false }
        let nullBytes = chunk.nullCount > 0 ? (chunk.rowCount + 7) / 8 : 0
        guard try expectedPackedSize(chunk) + nullBytes == chunk.packedByteCount else {
            throw StorageError.malformed("chunk header describes a different size than it records")
        }
        try withPackedBytes(chunk, scratch: &scratch) { packed in
            let entries = chunk.entryCount
            guard let base = packed.baseAddress else { return }
            let values = base + entries * 2
            for entry in 0..<entries {
                let position = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: entry * 2, as: UInt16.self)))
                guard position < chunk.rowCount else { throw StorageError.malformed("sparse position \(position) outside the chunk") }
                body(position, chunk.base &+ unpackOne(values, index: entry, width: chunk.byteWidth))
            }
        }
        return true
    }
}

extension IntegerCodec {
    /// The runs of a run-length chunk as (value, length) pairs, without expanding them, so a
    /// predicate can be decided once per run; nil for chunks of other encodings or with NULLs.
    package static func runs(_ chunk: ColumnChunk, scratch: inout [UInt8]) throws -> [(value: Int64, length: Int)]? {
        guard chunk.encoding == .runLength, chunk.nullCount == 0 else { return nil }
        guard try expectedPackedSize(chunk) == chunk.packedByteCount else {
            throw StorageError.malformed("chunk header describes a different size than it records")
        }
        return try withPackedBytes(chunk, scratch: &scratch) { packed in
            var runs: [(value: Int64, length: Int)] = []
            runs.reserveCapacity(chunk.entryCount)
            guard let base = packed.baseAddress else { return runs }
            let lengths = base + chunk.entryCount * chunk.byteWidth
            var total = 0
            for run in 0..<chunk.entryCount {
                let length = Int(UInt16(littleEndian: lengths.loadUnaligned(fromByteOffset: run * 2, as: UInt16.self))) + 1
                total += length
                runs.append((chunk.base &+ unpackOne(base, index: run, width: chunk.byteWidth), length))
            }
            guard total == chunk.rowCount else { throw StorageError.malformed("run lengths cover \(total) of \(chunk.rowCount) rows") }
            return runs
        }
    }
}
