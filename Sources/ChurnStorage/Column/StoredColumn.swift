/// One column of the store: its type, its dictionary (dimensions) and its chunks, one per row group.
package struct StoredColumn: Sendable {
    package var name: String
    package var type: ColumnType
    package var dictionary: ValueDictionary
    package var chunks: [ColumnChunk]

    package init(name: String, type: ColumnType, dictionary: ValueDictionary = ValueDictionary(), chunks: [ColumnChunk] = []) {
        self.name = name
        self.type = type
        self.dictionary = dictionary
        self.chunks = chunks
    }

    package var rowCount: Int { chunks.reduce(0) { $0 + $1.rowCount } }
    /// NULL rows. Dimensions store NULL as code 0 without a null bitmap, so their chunks' statistics
    /// count them, not the chunk header.
    package var nullCount: Int { chunks.reduce(0) { $0 + $1.statistics.nullCount } }

    /// Bytes in memory: compressed chunk bodies, chunk headers and the dictionary.
    package var storedByteCount: Int {
        chunks.reduce(0) { $0 + $1.storedByteCount } + (type == .dimension ? dictionary.storedByteCount : 0)
    }

    /// Bytes the values would take uncompressed at their natural width (8 per measure value,
    /// the narrowest code width per dimension value), the yardstick for the compression ratio.
    package var rawByteCount: Int {
        let width: Int
        switch type {
        case .dimension: width = dictionary.count <= 1 << 8 ? 1 : dictionary.count <= 1 << 16 ? 2 : 4
        default: width = 8
        }
        return rowCount * width
    }

    /// Distinct non-NULL values for dimensions; for measures, not tracked (nil).
    package var cardinality: Int? { type == .dimension ? dictionary.cardinality : nil }
}
