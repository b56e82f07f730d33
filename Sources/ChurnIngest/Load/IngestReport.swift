/// What a load did: rows kept and skipped, columns ignored, time and memory.
package struct IngestReport: Sendable {
    package var path: String
    package var rowCount = 0
    package var skippedRowCount = 0
    /// The first skipped rows, as `file:line: problem` messages.
    package var skippedRows: [String] = []
    /// CSV columns the cube does not declare.
    package var ignoredColumns: [String] = []
    package var schemaInferred = false
    package var inputBytes = 0
    package var seconds = 0.0
    package var peakMemoryBytes = 0
    /// The dimensions the rows were sorted by (empty: input order kept), and the time it took.
    package var sortKey: [String] = []
    package var sortSeconds = 0.0

    package init(path: String) { self.path = path }
}
