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
                func pick<Width: FixedWidthInteger & UnsignedInteger>(_: Width.Type) {
                    let values = packed.baseAddress!
                    for index in 0..<rows.count {
                        let offset = Int(rows[index]) &* MemoryLayout<Width>.size
                        destination[index] = base &+ Int64(truncatingIfNeeded: Width(littleEndian: values.loadUnaligned(fromByteOffset: offset, as: Width.self)))
                    }
                }
                switch width {
                case 1: pick(UInt8.self)
                case 2: pick(UInt16.self)
                case 4: pick(UInt32.self)
                default: pick(UInt64.self)
                }
            case .runLength:
                try pickRuns(packed.baseAddress!, runs: chunk.entryCount, width: width, base: base, rowCount: rowCount,
                             rows: rows, into: destination)
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

    /// The values of a run-length chunk at ascending `rows`: one pass over the runs up to the
    /// last row asked (a few rows of a chunk stop early), one loop per value width.
    private static func pickRuns(_ packed: UnsafeRawPointer, runs: Int, width: Int, base: Int64, rowCount: Int,
                                 rows: UnsafeBufferPointer<Int32>, into destination: UnsafeMutablePointer<Int64>) throws {
        let lengths = packed + runs * width
        func walk<Width: FixedWidthInteger & UnsignedInteger>(_: Width.Type) throws {
            var run = 0
            var runEnd = 0
            var value: Int64 = 0
            for index in 0..<rows.count {
                let row = Int(rows[index])
                while row >= runEnd {
                    guard run < runs else { throw StorageError.malformed("run lengths cover fewer than the chunk's \(rowCount) rows") }
                    runEnd &+= Int(UInt16(littleEndian: lengths.loadUnaligned(fromByteOffset: run &* 2, as: UInt16.self))) &+ 1
                    value = base &+ Int64(truncatingIfNeeded: Width(littleEndian: packed.loadUnaligned(fromByteOffset: run &* MemoryLayout<Width>.size, as: Width.self)))
                    run &+= 1
                }
                destination[index] = value
            }
        }
        switch width {
        case 1: try walk(UInt8.self)
        case 2: try walk(UInt16.self)
        case 4: try walk(UInt32.self)
        default: try walk(UInt64.self)
        }
    }
}
