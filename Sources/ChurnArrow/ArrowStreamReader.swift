/// Decodes a complete Arrow IPC stream blob (as Spark Connect returns query results) into typed columns.
///
/// The stream is a Schema message, then RecordBatch messages, then optionally the end-of-stream
/// marker; a blob that simply ends after a message is also a complete stream. Every length and
/// offset is checked against the bytes at hand: damaged input gives an `ArrowError`, never a trap.
package enum ArrowStreamReader {
    package static func read(_ bytes: [UInt8]) throws(ArrowError) -> ArrowStream {
        var schema: ArrowSchema?
        var batches: [ArrowRecordBatch] = []
        var offset = 0
        var index = 0
        while let message = try ArrowMessage.read(bytes, at: offset, index: index) {
            do throws(ArrowError) {
                switch message.headerType {
                case .schema:
                    guard schema == nil else {
                        throw ArrowError(.malformed, "the stream has a second schema message", at: message.offset)
                    }
                    schema = try ArrowSchemaDecoder.decode(message.header)
                case .recordBatch:
                    guard let schema else {
                        throw ArrowError(.malformed, "a record batch comes before the schema message", at: message.offset)
                    }
                    batches.append(try ArrowRecordBatchDecoder.decode(message, in: bytes, schema: schema))
                case .dictionaryBatch:
                    throw ArrowError(.unsupported, "the stream carries a dictionary batch (a dictionary-encoded column), which the reader does not support", at: message.offset)
                case .tensor, .sparseTensor:
                    throw ArrowError(.unsupported, "the stream carries a tensor message, which the reader does not support", at: message.offset)
                }
            } catch {
                throw error.inMessage(index)
            }
            offset = message.end
            index += 1
        }
        guard let schema else {
            throw ArrowError(.truncated, "the stream ends before its schema message", at: offset).inMessage(index)
        }
        return ArrowStream(schema: schema, batches: batches)
    }
}
