import ChurnStorage

/// Decodes the chunks of one row group on demand, once each, into buffers reused from one
/// row group to the next. One reader per worker thread.
final class RowGroupReader {
    let store: ColumnStore
    private(set) var rowGroup = -1
    private(set) var rowCount = 0
    private var scratch: [UInt8] = []
    private var integers: [Int: [Int64]] = [:]
    private var codes: [Int: [UInt32]] = [:]
    private var nulls: [Int: NullMask?] = [:]
    private var decodedIntegers: Set<Int> = []
    private var decodedCodes: Set<Int> = []
    /// Chunks decoded, for EXPLAIN.
    private(set) var chunksDecoded = 0

    init(store: ColumnStore) { self.store = store }

    func start(rowGroup: Int) {
        self.rowGroup = rowGroup
        rowCount = store.rowGroupSizes[rowGroup]
        decodedIntegers.removeAll(keepingCapacity: true)
        decodedCodes.removeAll(keepingCapacity: true)
    }

    func chunk(_ column: Int) -> ColumnChunk { store.columns[column].chunks[rowGroup] }

    /// A buffer every decode overwrites before it is read: zero-filling it would cost as much as a decode.
    private static func uninitialized<T: FixedWidthInteger>(_ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// The runs of a run-length dimension chunk, or nil (other encodings, or already decoded).
    func codeRuns(_ column: Int) throws -> [(value: Int64, length: Int)]? {
        guard !decodedCodes.contains(column) else { return nil }
        let runs = try IntegerCodec.runs(chunk(column), scratch: &scratch)
        if runs != nil { chunksDecoded += 1 }
        return runs
    }

    /// The runs of a run-length measure chunk without NULLs, or nil.
    func valueRuns(_ column: Int) throws -> [(value: Int64, length: Int)]? {
        guard !decodedIntegers.contains(column) else { return nil }
        let runs = try IntegerCodec.runs(chunk(column), scratch: &scratch)
        if runs != nil { chunksDecoded += 1 }
        return runs
    }

    /// A dimension column's codes for the current row group.
    func codes(_ column: Int) throws -> UnsafeBufferPointer<UInt32> {
        if !decodedCodes.contains(column) {
            var buffer = codes[column] ?? []
            if buffer.count < ColumnChunk.maximumRowCount { buffer = Self.uninitialized(ColumnChunk.maximumRowCount) }
            let chunk = self.chunk(column)
            try buffer.withUnsafeMutableBufferPointer { _ = try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
            codes[column] = buffer
            decodedCodes.insert(column)
            chunksDecoded += 1
        }
        return codes[column]!.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[0..<rowCount]) }
    }

    /// A measure column's raw values (integers, scaled decimals or double bit patterns) and NULL rows.
    func values(_ column: Int) throws -> (UnsafeBufferPointer<Int64>, NullMask?) {
        if !decodedIntegers.contains(column) {
            var buffer = integers[column] ?? []
            if buffer.count < ColumnChunk.maximumRowCount { buffer = Self.uninitialized(ColumnChunk.maximumRowCount) }
            let chunk = self.chunk(column)
            let mask = try buffer.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
            integers[column] = buffer
            nulls[column] = mask
            decodedIntegers.insert(column)
            chunksDecoded += 1
        }
        let pointer = integers[column]!.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[0..<rowCount]) }
        return (pointer, nulls[column] ?? nil)
    }

    /// Visits the non-zero entries of a sparse chunk without expanding it; false when the chunk is not sparse.
    func visitSparse(_ column: Int, _ body: (Int, Int64) -> Void) throws -> Bool {
        let chunk = self.chunk(column)
        guard chunk.nullCount == 0, chunk.encoding == .sparse, chunk.common == 0 else { return false }
        chunksDecoded += 1
        return try IntegerCodec.visitSparseEntries(chunk, scratch: &scratch, body)
    }
}
