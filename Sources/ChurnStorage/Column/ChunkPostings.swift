import Synchronization

/// For a dimension chunk with few distinct codes that change from row to row (the month of a
/// store clustered by account: 36 months cycling inside every account), the rows of each code:
/// `period = '2025-12'` then selects its rows directly instead of testing every row's code.
///
/// Built from the chunk's decoded (and checked) codes the first time a selective condition meets
/// the chunk, then kept with the store (`ColumnStore.postings`): two bytes a row.
package struct ChunkPostings: Sendable {
    /// The chunk's distinct codes, ascending (its statistics' list).
    package let codes: [UInt32]
    /// Rows of `codes[i]`: `rows[starts[i]..<starts[i + 1]]`, ascending.
    package let starts: [Int32]
    package let rows: [UInt16]

    package init(codes: [UInt32], rowCodes: UnsafeBufferPointer<UInt32>) {
        self.codes = codes
        // Code -> its place in the list; codes outside it (NULL, code 0, is not listed) go to an
        // extra last slot.
        let largest = Int(max(codes.last ?? 0, rowCodes.max() ?? 0))
        var slot = [UInt8](repeating: UInt8(codes.count), count: largest + 1)
        for (index, code) in codes.enumerated() { slot[Int(code)] = UInt8(index) }
        var counts = [Int32](repeating: 0, count: codes.count + 2)
        var slots = [UInt8](repeating: 0, count: rowCodes.count)
        for row in rowCodes.indices {
            let index = slot[Int(rowCodes[row])]
            slots[row] = index
            counts[Int(index) + 1] += 1
        }
        for index in 0...codes.count { counts[index + 1] += counts[index] }
        var next = counts
        var rows = [UInt16](repeating: 0, count: rowCodes.count)
        for row in rowCodes.indices {
            let index = Int(slots[row])
            rows[Int(next[index])] = UInt16(truncatingIfNeeded: row)
            next[index] += 1
        }
        starts = counts
        self.rows = rows
    }

    /// The rows of code `code` (none when the chunk does not hold it).
    package func rows(of code: UInt32) -> ArraySlice<UInt16> {
        guard let index = Self.position(of: code, in: codes) else { return [] }
        return rows[Int(starts[index])..<Int(starts[index + 1])]
    }

    private static func position(of code: UInt32, in codes: [UInt32]) -> Int? {
        var low = 0, high = codes.count
        while low < high {
            let middle = (low + high) / 2
            if codes[middle] < code { low = middle + 1 } else { high = middle }
        }
        return low < codes.count && codes[low] == code ? low : nil
    }

    /// Postings pay when codes change within runs too short to walk run by run and the chunk
    /// lists its distinct codes (at most 64) and has at most 255 of them.
    package static func applies(to chunk: ColumnChunk) -> Bool {
        guard chunk.encoding == .plain, let codes = chunk.statistics.distinctCodes else { return false }
        return codes.count >= 4 && codes.count < 255 && chunk.rowCount <= Int(UInt16.max) + 1
    }
}

/// The postings built so far for one store, by column and row group; shared by the scans' threads.
package final class PostingsCache: Sendable {
    private let entries = Mutex<[Int: ChunkPostings]>([:])
    private let rowGroupCount: Int

    init(rowGroupCount: Int) { self.rowGroupCount = rowGroupCount }

    package func postings(column: Int, rowGroup: Int, build: () throws -> ChunkPostings) rethrows -> ChunkPostings {
        let key = column * rowGroupCount + rowGroup
        if let known = entries.withLock({ $0[key] }) { return known }
        let built = try build()
        entries.withLock { $0[key] = built }
        return built
    }
}
