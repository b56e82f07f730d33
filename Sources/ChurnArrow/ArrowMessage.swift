/// One framed IPC message: its decoded Message table and where its body lies in the blob.
///
/// Framing is the 0xFFFFFFFF continuation marker, an int32 little-endian metadata length, the
/// FlatBuffers metadata (padded to 8 bytes, padding included in the length), then `bodyLength`
/// body bytes. Streams from before Arrow 0.15 leave out the marker. A length of 0 ends the stream.
struct ArrowMessage {
    /// Message.fbs's `MessageHeader` union numbering.
    enum HeaderType: UInt8 {
        case schema = 1
        case dictionaryBatch = 2
        case recordBatch = 3
        case tensor = 4
        case sparseTensor = 5
    }

    let index: Int
    /// Where the frame starts in the blob.
    let offset: Int
    let headerType: HeaderType
    let header: FlatBufferTable
    let bodyStart: Int
    let bodyLength: Int
    /// Where the next frame starts.
    var end: Int { bodyStart + bodyLength }

    private static let continuationMarker: UInt32 = 0xFFFF_FFFF
    /// MetadataVersion V4, the first whose layout this reader follows.
    private static let oldestVersion: Int16 = 3

    /// Reads the frame at `offset`, or returns nil at the end-of-stream marker or the end of the blob.
    static func read(_ bytes: [UInt8], at offset: Int, index: Int) throws(ArrowError) -> ArrowMessage? {
        do throws(ArrowError) {
            return try readFrame(bytes, at: offset, index: index)
        } catch {
            throw error.inMessage(index)
        }
    }

    private static func readFrame(_ bytes: [UInt8], at offset: Int, index: Int) throws(ArrowError) -> ArrowMessage? {
        let available = bytes.count - offset
        if available == 0 { return nil }
        func truncated(_ what: String) -> ArrowError {
            ArrowError(.truncated, "the blob ends \(available) bytes into the message, inside its \(what)", at: offset)
        }
        guard available >= 4 else { throw truncated("length prefix") }
        var lengthPosition = offset
        if loadUInt32(bytes, at: offset) == continuationMarker {
            guard available >= 8 else { throw truncated("length prefix") }
            lengthPosition += 4
        }
        let metadataLength = Int(Int32(bitPattern: loadUInt32(bytes, at: lengthPosition)))
        if metadataLength == 0 { return nil }
        let metadataStart = lengthPosition + 4
        guard metadataLength > 0 else {
            throw ArrowError(.malformed, "the message announces a negative metadata length \(metadataLength)", at: offset)
        }
        guard metadataLength <= bytes.count - metadataStart else {
            throw ArrowError(.truncated, "the message announces \(metadataLength) metadata bytes but the blob has \(bytes.count - metadataStart) left", at: offset)
        }
        let metadata = FlatBuffer(bytes: bytes, start: metadataStart, end: metadataStart + metadataLength)
        let message = try metadata.rootTable()

        let version = try message.scalar(0, default: Int16(0))
        guard version >= oldestVersion else {
            throw ArrowError(.unsupported, "the message uses Arrow metadata version V\(Int(version) + 1); the reader needs V4 or later", at: offset)
        }
        let rawHeaderType = try message.scalar(1, default: UInt8(0))
        guard let headerType = HeaderType(rawValue: rawHeaderType) else {
            throw ArrowError(.malformed, "the message has unknown header type \(rawHeaderType)", at: offset)
        }
        guard let header = try message.table(2) else {
            throw ArrowError(.malformed, "the message has no header", at: offset)
        }
        let bodyStart = metadata.end
        let bodyLength = try message.scalar(3, default: Int64(0))
        guard bodyLength >= 0 else {
            throw ArrowError(.malformed, "the message announces a negative body length \(bodyLength)", at: offset)
        }
        guard bodyLength <= Int64(bytes.count - bodyStart) else {
            throw ArrowError(.truncated, "the message announces a \(bodyLength)-byte body but the blob has \(bytes.count - bodyStart) bytes left", at: bodyStart)
        }
        return ArrowMessage(index: index, offset: offset, headerType: headerType, header: header,
                            bodyStart: bodyStart, bodyLength: Int(bodyLength))
    }

    private static func loadUInt32(_ bytes: [UInt8], at position: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt32.self)) }
    }
}
