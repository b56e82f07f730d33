import ChurnStorage

/// Decodes the chunks of one row group on demand, once each, into buffers that belong to the
/// reader and are reused from one row group to the next. One reader per worker thread.
final class RowGroupReader {
    let store: ColumnStore
    private(set) var rowGroup = -1
    private(set) var rowCount = 0
    private var scratch: [UInt8] = []
    /// Per stored column: its decode buffer, allocated on first use, and the row group it holds.
    private var integers: [UnsafeMutablePointer<Int64>?]
    private var codes: [UnsafeMutablePointer<UInt32>?]
    private var nulls: [NullMask?]
    private var integersFor: [Int]
    private var codesFor: [Int]
    /// Runs of run-length chunks, decoded once per row group for every caller.
    private var runs: [[(value: Int64, length: Int)]?]
    private var runsFor: [Int]
    /// Chunks decoded, for EXPLAIN.
    private(set) var chunksDecoded = 0

    init(store: ColumnStore) {
        self.store = store
        let columnCount = store.columns.count
        integers = Array(repeating: nil, count: columnCount)
        codes = Array(repeating: nil, count: columnCount)
        nulls = Array(repeating: nil, count: columnCount)
        integersFor = Array(repeating: -1, count: columnCount)
        codesFor = Array(repeating: -1, count: columnCount)
        runs = Array(repeating: nil, count: columnCount)
        runsFor = Array(repeating: -1, count: columnCount)
    }

    deinit {
        for buffer in integers { buffer?.deallocate() }
        for buffer in codes { buffer?.deallocate() }
    }

    func start(rowGroup: Int) {
        self.rowGroup = rowGroup
        rowCount = store.rowGroupSizes[rowGroup]
    }

    func chunk(_ column: Int) -> ColumnChunk { store.columns[column].chunks[rowGroup] }

    /// The runs of a run-length chunk without NULLs, or nil (other encodings).
    func runs(_ column: Int) throws -> [(value: Int64, length: Int)]? {
        if runsFor[column] == rowGroup { return runs[column] }
        let decoded = try IntegerCodec.runs(chunk(column), scratch: &scratch)
        if decoded != nil { chunksDecoded += 1 }
        runs[column] = decoded
        runsFor[column] = rowGroup
        return decoded
    }

    /// The runs of a run-length dimension chunk, or nil.
    func codeRuns(_ column: Int) throws -> [(value: Int64, length: Int)]? {
        let decoded = try runs(column)
        if let decoded, chunk(column).body.isMapped {
            for run in decoded where !codeIsRecorded(run.value, column) { throw codesOutsideDictionary(column) }
        }
        return decoded
    }

    /// Whether a code read from a snapshot lies where its chunk's statistics, checked against the
    /// dictionary when the file was opened, say: NULL, or within the recorded range. A file whose
    /// checksums hold but whose codes do not (a faulty writer) must not index past the dictionary.
    @inline(__always)
    private func codeIsRecorded(_ code: Int64, _ column: Int) -> Bool {
        code == 0 || (chunk(column).statistics.integerRange?.contains(code) ?? false)
    }

    private func codesOutsideDictionary(_ column: Int) -> StorageError {
        .malformed("column '\(store.columns[column].name)', row group \(rowGroup + 1): codes outside the column's dictionary; the file is damaged")
    }

    /// The runs of a run-length measure chunk without NULLs, or nil.
    func valueRuns(_ column: Int) throws -> [(value: Int64, length: Int)]? { try runs(column) }

    /// A dimension column's codes for the current row group.
    func codes(_ column: Int) throws -> UnsafeBufferPointer<UInt32> {
        let buffer: UnsafeMutablePointer<UInt32>
        if let existing = codes[column] { buffer = existing } else {
            buffer = .allocate(capacity: ColumnChunk.maximumRowCount)
            codes[column] = buffer
        }
        if codesFor[column] != rowGroup {
            if let cached = try runs(column) {
                // Expanding known runs is cheaper than decoding the chunk again.
                var row = 0
                for run in cached {
                    (buffer + row).update(repeating: UInt32(truncatingIfNeeded: run.value), count: run.length)
                    row += run.length
                }
            } else {
                _ = try IntegerCodec.decode(chunk(column), into: buffer, scratch: &scratch)
                chunksDecoded += 1
            }
            if chunk(column).body.isMapped {
                let range = chunk(column).statistics.integerRange.map { UInt32(clamping: $0.lowerBound)...UInt32(clamping: $0.upperBound) }
                for row in 0..<rowCount where buffer[row] != 0 && !(range?.contains(buffer[row]) ?? false) {
                    throw codesOutsideDictionary(column)
                }
            }
            codesFor[column] = rowGroup
        }
        return UnsafeBufferPointer(start: buffer, count: rowCount)
    }

    /// A measure column's raw values (integers, scaled decimals or double bit patterns) and NULL rows.
    func values(_ column: Int) throws -> (UnsafeBufferPointer<Int64>, NullMask?) {
        let buffer: UnsafeMutablePointer<Int64>
        if let existing = integers[column] { buffer = existing } else {
            buffer = .allocate(capacity: ColumnChunk.maximumRowCount)
            integers[column] = buffer
        }
        if integersFor[column] != rowGroup {
            nulls[column] = try IntegerCodec.decode(chunk(column), into: buffer, scratch: &scratch)
            chunksDecoded += 1
            integersFor[column] = rowGroup
        }
        return (UnsafeBufferPointer(start: buffer, count: rowCount), nulls[column])
    }

    /// Visits the non-zero entries of a sparse chunk without expanding it; false when the chunk is not sparse.
    func visitSparse(_ column: Int, _ body: (Int, Int64) -> Void) throws -> Bool {
        let chunk = self.chunk(column)
        guard chunk.nullCount == 0, chunk.encoding == .sparse, chunk.common == 0 else { return false }
        chunksDecoded += 1
        return try IntegerCodec.visitSparseEntries(chunk, scratch: &scratch, body)
    }
}
