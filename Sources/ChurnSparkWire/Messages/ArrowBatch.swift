/// `spark.connect.ExecutePlanResponse.ArrowBatch`: one Arrow IPC stream (schema, then record batch).
///
/// The chunk fields appear only when the client allowed result chunking, which this client does
/// not; they are decoded so that a chunked response can be detected rather than misread.
package struct ArrowBatch: Sendable, Equatable {
    package var rowCount: Int64 = 0
    package var data: [UInt8] = []
    package var startOffset: Int64?
    package var chunkIndex: Int64?
    package var chunkCount: Int64?

    package init(rowCount: Int64 = 0, data: [UInt8] = [], startOffset: Int64? = nil, chunkIndex: Int64? = nil, chunkCount: Int64? = nil) {
        self.rowCount = rowCount
        self.data = data
        self.startOffset = startOffset
        self.chunkIndex = chunkIndex
        self.chunkCount = chunkCount
    }

    enum FieldNumber {
        static let rowCount = 1
        static let data = 2
        static let startOffset = 3
        static let chunkIndex = 4
        static let chunkCount = 5
    }

    package init(reading reader: ProtobufReader) throws {
        var reader = reader
        let name = "ExecutePlanResponse.ArrowBatch"
        while let field = try reader.nextField() {
            switch field.number {
            case FieldNumber.rowCount: rowCount = try field.int64(in: name)
            case FieldNumber.data: data = try field.bytes(in: name)
            case FieldNumber.startOffset: startOffset = try field.int64(in: name)
            case FieldNumber.chunkIndex: chunkIndex = try field.int64(in: name)
            case FieldNumber.chunkCount: chunkCount = try field.int64(in: name)
            default: continue
            }
        }
    }
}
