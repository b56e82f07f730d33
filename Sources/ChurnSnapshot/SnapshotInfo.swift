import ChurnModel
import ChurnStorage

/// What `Snapshot.info` reads from a snapshot's metadata without touching its data.
package struct SnapshotInfo: Sendable {
    /// One stored column: its type, distinct values and bytes on disk.
    package struct Column: Sendable {
        package var name: String
        package var type: ColumnType
        /// Distinct non-NULL values of a dimension; nil for measures.
        package var cardinality: Int?
        package var chunkCount: Int
        /// Compressed chunk bodies plus, for dimensions, the compressed dictionary.
        package var compressedByteCount: Int
    }

    package var path: String
    package var formatVersion: UInt32
    package var definition: CubeDefinition
    package var createdMilliseconds: Int64
    package var rowCount: Int
    package var rowGroupCount: Int
    package var columns: [Column]
    package var fileByteCount: Int
    /// Bytes of the chunk bodies (the data section).
    package var dataByteCount: Int
    /// Bytes of the definition, dictionaries, index, header and footer.
    package var metadataByteCount: Int { fileByteCount - dataByteCount }

    package var cubeName: String { definition.name }
}

/// What `Snapshot.write` did.
package struct SnapshotWriteReport: Sendable {
    package var path: String
    package var byteCount: Int
    package var rowCount: Int
    package var chunkCount: Int
    package var seconds: Double
}
