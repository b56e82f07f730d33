/// A decoded Arrow IPC stream: its schema and every record batch, in stream order.
package struct ArrowStream: Sendable {
    package var schema: ArrowSchema
    package var batches: [ArrowRecordBatch]

    package init(schema: ArrowSchema, batches: [ArrowRecordBatch]) {
        self.schema = schema
        self.batches = batches
    }
}
