import ChurnStorage

/// Decodes the chunks of one row group on demand, once each, into buffers that belong to the
/// reader and are reused from one row group to the next. One reader per worker thread.
final class RowGroupReader {
    let store: ColumnStore
    private(set) var rowGroup = -1
    private(set) var rowCount = 0
    private var scratch: [UInt8] = []
    /// Values decoded at selected rows, before they go to their positions.
    private var picked: [Int64] = []
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
    /// Between `beginAggregates` and the next row group every read at selected rows is for the
    /// same selection (the filter's): a column decoded at those rows is kept for the next
    /// aggregate that reads it. Per column: whether its buffer holds that selection's values.
    private var aggregating = false
    private var selectedFor: [Bool]

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
        selectedFor = Array(repeating: false, count: columnCount)
    }

    deinit {
        for buffer in integers { buffer?.deallocate() }
        for buffer in codes { buffer?.deallocate() }
    }

    func start(rowGroup: Int) {
        self.rowGroup = rowGroup
        rowCount = store.rowGroupSizes[rowGroup]
        endAggregates()
    }

    /// The filter has run; from here to the next row group every read at selected rows is for
    /// its selection.
    func beginAggregates() {
        aggregating = true
    }

    private func endAggregates() {
        guard aggregating else { return }
        aggregating = false
        for column in selectedFor.indices { selectedFor[column] = false }
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
        let body = chunk(column).body
        if let decoded, body.isMapped, !body.codesChecked {
            for run in decoded where !codeIsRecorded(run.value, column) { throw codesOutsideDictionary(column) }
            body.markCodesChecked()
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

    /// A dimension column's codes at `rows` (ascending), into `destination`: from the codes or
    /// runs already decoded for this row group, else, for a few rows, straight from the chunk.
    func codes(_ column: Int, at rows: UnsafeBufferPointer<Int32>, into destination: UnsafeMutablePointer<UInt32>) throws {
        if codesFor[column] == rowGroup, let codes = self.codes[column] {
            for (index, row) in rows.enumerated() { destination[index] = codes[Int(row)] }
            return
        }
        if runsFor[column] != rowGroup, rows.count * 8 < rowCount {
            // Few rows and nothing decoded yet: read their codes straight from the chunk.
            if picked.count < rows.count { picked = [Int64](repeating: 0, count: ColumnChunk.maximumRowCount) }
            try picked.withUnsafeMutableBufferPointer { picked in
                _ = try decode(column, at: rows, into: picked.baseAddress!)
                for index in 0..<rows.count { destination[index] = UInt32(truncatingIfNeeded: picked[index]) }
            }
            return
        }
        if let runs = try codeRuns(column) {
            var run = 0
            var runEnd = runs.first?.length ?? 0
            for (index, row32) in rows.enumerated() {
                let row = Int(row32)
                while row >= runEnd {
                    run += 1
                    guard run < runs.count else { throw codesOutsideDictionary(column) }
                    runEnd += runs[run].length
                }
                destination[index] = UInt32(truncatingIfNeeded: runs[run].value)
            }
            return
        }
        let codes = try self.codes(column)
        for (index, row) in rows.enumerated() { destination[index] = codes[Int(row)] }
    }

    /// A dimension column's codes for the current row group.
    func codes(_ column: Int) throws -> UnsafeBufferPointer<UInt32> {
        let buffer: UnsafeMutablePointer<UInt32>
        if let existing = codes[column] { buffer = existing } else {
            buffer = .allocate(capacity: ColumnChunk.maximumRowCount)
            codes[column] = buffer
        }
        if codesFor[column] != rowGroup {
            if let cached = try codeRuns(column) {
                // Expanding known (and checked) runs is cheaper than decoding the chunk again.
                var row = 0
                for run in cached {
                    (buffer + row).update(repeating: UInt32(truncatingIfNeeded: run.value), count: run.length)
                    row += run.length
                }
            } else {
                _ = try IntegerCodec.decode(chunk(column), into: buffer, scratch: &scratch)
                chunksDecoded += 1
                try checkDecodedCodes(buffer, column)
            }
            codesFor[column] = rowGroup
        }
        return UnsafeBufferPointer(start: buffer, count: rowCount)
    }

    /// Opening checked the chunk's code range against the dictionary, so a largest code within
    /// the range proves every code is a member or NULL (0). One max reduction vectorizes; a per-row
    /// range test does not.
    private func checkDecodedCodes(_ buffer: UnsafeMutablePointer<UInt32>, _ column: Int) throws {
        let body = chunk(column).body
        guard body.isMapped, !body.codesChecked else { return }
        let largestAllowed = chunk(column).statistics.integerRange.map { UInt32(clamping: $0.upperBound) } ?? 0
        var largest: UInt32 = 0
        for row in 0..<rowCount { largest = Swift.max(largest, buffer[row]) }
        if largest > largestAllowed { throw codesOutsideDictionary(column) }
        body.markCodesChecked()
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
            selectedFor[column] = false
        }
        return (UnsafeBufferPointer(start: buffer, count: rowCount), nulls[column])
    }

    /// A measure column's raw values and NULL rows for the rows a selective filter kept: when they
    /// are few (under an eighth of the group), only their positions are decoded and only those
    /// positions of the buffer hold values; otherwise, or when the whole chunk is decoded already,
    /// the whole chunk.
    func values(_ column: Int, rows: UnsafeBufferPointer<Int32>?) throws -> (UnsafeBufferPointer<Int64>, NullMask?) {
        guard let rows, integersFor[column] != rowGroup, rows.count * 8 < rowCount else { return try values(column) }
        if aggregating && selectedFor[column] { return (UnsafeBufferPointer(start: integers[column]!, count: rowCount), nulls[column]) }
        let buffer: UnsafeMutablePointer<Int64>
        if let existing = integers[column] { buffer = existing } else {
            buffer = .allocate(capacity: ColumnChunk.maximumRowCount)
            integers[column] = buffer
        }
        if picked.count < rows.count { picked = [Int64](repeating: 0, count: ColumnChunk.maximumRowCount) }
        let nullFlags = try picked.withUnsafeMutableBufferPointer { picked in try decode(column, at: rows, into: picked.baseAddress!) }
        var mask: NullMask? = nil
        if let nullFlags {
            var built = NullMask(rowCount: rowCount)
            for (index, row) in rows.enumerated() where nullFlags[index] { built.setNull(Int(row)) }
            mask = built
        }
        picked.withUnsafeBufferPointer { picked in
            for (index, row) in rows.enumerated() { buffer[Int(row)] = picked[index] }
        }
        // The buffer now holds a part of the chunk: the next whole-chunk read decodes again.
        integersFor[column] = -1
        if aggregating {
            nulls[column] = mask
            selectedFor[column] = true
        }
        return (UnsafeBufferPointer(start: buffer, count: rowCount), mask)
    }

    /// A column's raw values (codes of a dimension) at a few ascending rows, decoded at those rows
    /// alone, with their NULL flags (nil: none is NULL).
    func values(_ column: Int, at rows: UnsafeBufferPointer<Int32>) throws -> (values: [Int64], nulls: [Bool]?) {
        var values = [Int64](repeating: 0, count: rows.count)
        let nulls = try values.withUnsafeMutableBufferPointer { values in try decode(column, at: rows, into: values.baseAddress!) }
        return (values, nulls)
    }

    /// Every read at selected rows passes here: the raw values at `rows` into `destination`, their
    /// NULL flags, and for a dimension read from a snapshot the check that each code is recorded.
    private func decode(_ column: Int, at rows: UnsafeBufferPointer<Int32>, into destination: UnsafeMutablePointer<Int64>) throws -> [Bool]? {
        let nulls = try IntegerCodec.decode(chunk(column), rows: rows, into: destination, scratch: &scratch)
        chunksDecoded += 1
        if store.columns[column].type == .dimension, chunk(column).body.isMapped, !chunk(column).body.codesChecked {
            for index in 0..<rows.count where !codeIsRecorded(destination[index], column) { throw codesOutsideDictionary(column) }
        }
        return nulls
    }

    /// Visits the non-zero entries of a sparse chunk without expanding it; false when the chunk is not sparse.
    func visitSparse(_ column: Int, _ body: (Int, Int64) -> Void) throws -> Bool {
        let chunk = self.chunk(column)
        guard chunk.nullCount == 0, chunk.encoding == .sparse, chunk.common == 0 else { return false }
        chunksDecoded += 1
        return try IntegerCodec.visitSparseEntries(chunk, scratch: &scratch, body)
    }
}
