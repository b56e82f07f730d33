/// Decodes a RecordBatch message: checks its nodes and buffers against the schema, then each column.
enum ArrowRecordBatchDecoder {
    /// Message.fbs `RecordBatch` slots.
    private enum Slot {
        static let length = 0
        static let nodes = 1
        static let buffers = 2
        static let compression = 3
    }

    /// Message.fbs `Buffer`: offset and length, two longs.
    private static let bufferEntrySize = 16

    static func decode(_ message: ArrowMessage, in bytes: [UInt8], schema: ArrowSchema) throws(ArrowError) -> ArrowRecordBatch {
        let header = message.header
        if let compression = try header.table(Slot.compression) {
            let codec = try compression.scalar(0, default: Int8(0))
            let codecName = switch codec {
            case 0: "LZ4_FRAME"
            case 1: "ZSTD"
            default: "unknown codec \(codec)"
            }
            throw ArrowError(.unsupported, "the record batch body is compressed with \(codecName), which the reader does not support; ask the server for uncompressed Arrow", at: message.offset)
        }
        let length = try header.scalar(Slot.length, default: Int64(0))
        guard length >= 0, let rowCount = Int(exactly: length) else {
            throw ArrowError(.malformed, "the record batch announces \(length) rows", at: message.offset)
        }
        let fields = schema.fields
        let nodes = try header.vector(Slot.nodes, elementSize: ArrowFieldNode.size)
        guard (nodes?.count ?? 0) == fields.count else {
            throw ArrowError(.malformed, "the record batch has \(nodes?.count ?? 0) field nodes for \(fields.count) schema columns", at: message.offset)
        }
        let buffers = try header.vector(Slot.buffers, elementSize: bufferEntrySize)
        let expectedBufferCount = fields.reduce(0) { $0 + $1.type.bufferCount }
        guard (buffers?.count ?? 0) == expectedBufferCount else {
            throw ArrowError(.malformed, "the record batch has \(buffers?.count ?? 0) buffers where its columns take \(expectedBufferCount)", at: message.offset)
        }
        guard let nodes else { return ArrowRecordBatch(rowCount: rowCount, columns: []) }

        var columns: [ArrowColumn] = []
        columns.reserveCapacity(fields.count)
        var nextBuffer = 0
        for (index, field) in fields.enumerated() {
            let node = try ArrowFieldNode(nodes, at: index)
            guard node.length == length else {
                throw ArrowError.column(field.name, .malformed, "has \(node.length) values in a record batch of \(length) rows", at: message.offset)
            }
            guard node.nullCount >= 0, node.nullCount <= node.length else {
                throw ArrowError.column(field.name, .malformed, "declares \(node.nullCount) nulls in \(node.length) rows", at: message.offset)
            }
            var columnBuffers: [ArrowBodyBuffer] = []
            columnBuffers.reserveCapacity(field.type.bufferCount)
            for _ in 0..<field.type.bufferCount {
                // Present whenever a column takes buffers: the count check above saw them.
                guard let buffers else { break }
                let offset = try buffers.structMember(Int64.self, at: nextBuffer, memberOffset: 0)
                let length = try buffers.structMember(Int64.self, at: nextBuffer, memberOffset: 8)
                do throws(ArrowError) {
                    columnBuffers.append(try ArrowBodyBuffer(offset: offset, length: length, in: message))
                } catch {
                    throw error.inColumn(field.name)
                }
                nextBuffer += 1
            }
            let decoder = ArrowColumnDecoder(bytes: bytes, field: field, rowCount: rowCount, nullCount: Int(node.nullCount), buffers: columnBuffers)
            columns.append(try decoder.decode())
        }
        return ArrowRecordBatch(rowCount: rowCount, columns: columns)
    }
}
