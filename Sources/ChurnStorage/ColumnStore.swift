/// The in-memory columnar store of one cube: columns split into aligned row groups.
///
/// Chunk `i` of every column covers the same rows, so a scan of row group `i` decodes only the
/// chunks of the columns it needs. The store is immutable once built and safe to share across threads.
package final class ColumnStore: Sendable {
    package let columns: [StoredColumn]
    /// Row count of each row group, shared by every column.
    package let rowGroupSizes: [Int]
    package let rowCount: Int
    /// Rows by code of the dimension chunks that selective conditions have met, built on first use.
    package let postings: PostingsCache
    private let indexByName: [String: Int]

    package init(columns: [StoredColumn]) throws {
        let sizes = columns.first.map { $0.chunks.map(\.rowCount) } ?? []
        for column in columns where column.chunks.map(\.rowCount) != sizes {
            throw StorageError.malformed("column '\(column.name)' is not aligned with the others' row groups")
        }
        self.columns = columns
        self.rowGroupSizes = sizes
        self.rowCount = sizes.reduce(0, +)
        self.postings = PostingsCache(rowGroupCount: sizes.count)
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() { index[column.name.lowercased()] = position }
        self.indexByName = index
    }

    package var rowGroupCount: Int { rowGroupSizes.count }

    /// Row number of the first row of each group.
    package var rowGroupStarts: [Int] {
        var starts: [Int] = []
        starts.reserveCapacity(rowGroupSizes.count)
        var next = 0
        for size in rowGroupSizes { starts.append(next); next += size }
        return starts
    }

    /// Column position by name, case-insensitively.
    package func columnIndex(named name: String) -> Int? { indexByName[name.lowercased()] }

    package func column(named name: String) -> StoredColumn? { columnIndex(named: name).map { columns[$0] } }

    package var storedByteCount: Int { columns.reduce(0) { $0 + $1.storedByteCount } }
    package var rawByteCount: Int { columns.reduce(0) { $0 + $1.rawByteCount } }
}
