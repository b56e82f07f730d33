/// One buffer of a record batch body, located in the blob and known to lie inside the body.
struct ArrowBodyBuffer {
    /// Absolute offset in the blob.
    let start: Int
    let length: Int

    /// Checks a RecordBatch `Buffer{offset, length}` against the message body it is relative to.
    init(offset: Int64, length: Int64, in message: ArrowMessage) throws(ArrowError) {
        let bodyLength = Int64(message.bodyLength)
        guard offset >= 0, length >= 0, offset <= bodyLength, length <= bodyLength - offset else {
            throw ArrowError(.malformed, "a buffer at body offset \(offset) of \(length) bytes lies outside the \(bodyLength)-byte body", at: message.bodyStart)
        }
        self.start = message.bodyStart + Int(offset)
        self.length = Int(length)
    }
}
