/// Walks the fields of one protobuf message, bounds-checked.
///
/// Every read checks the remaining length first and throws `ProtobufDecodingError` instead of
/// trapping, because the bytes come from the network. Unknown fields need no special handling:
/// `nextField()` returns every field with its value already delimited, and a decoder ignores the
/// numbers it does not know. Nested messages share the parent's storage (no copy).
package struct ProtobufReader: Sendable {
    /// One field as it appears on the wire.
    package struct Field: Sendable {
        package var number: Int
        package var value: Value
        /// Byte offset of the field's key, for error messages.
        package var offset: Int
    }

    /// A field's value, delimited by its wire type; nested messages and bytes stay unread.
    package enum Value: Sendable {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case lengthDelimited(ProtobufReader)

        package var wireType: ProtobufWireType {
            switch self {
            case .varint: return .varint
            case .fixed64: return .fixed64
            case .fixed32: return .fixed32
            case .lengthDelimited: return .lengthDelimited
            }
        }
    }

    private let storage: [UInt8]
    private var position: Int
    private let end: Int

    package init(_ bytes: [UInt8]) {
        self.storage = bytes
        self.position = 0
        self.end = bytes.count
    }

    private init(storage: [UInt8], range: Range<Int>) {
        self.storage = storage
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    package var isAtEnd: Bool { position >= end }

    /// The bytes not yet read (the whole body for a fresh nested reader).
    package var remainingBytes: [UInt8] { Array(storage[position..<end]) }

    package var remainingCount: Int { end - position }

    // MARK: - Fields

    /// The next field, or nil at the end of the message.
    package mutating func nextField() throws -> Field? {
        guard position < end else { return nil }
        let keyOffset = position
        let key = try readVarint(what: "a field key")
        let number = key >> 3
        guard number != 0, number < (1 << 29) else { throw ProtobufDecodingError.invalidFieldNumber(at: keyOffset) }
        let value: Value
        switch UInt8(key & 7) {
        case ProtobufWireType.varint.rawValue:
            value = .varint(try readVarint(what: "field \(number)"))
        case ProtobufWireType.fixed64.rawValue:
            value = .fixed64(try readLittleEndian(byteCount: 8, what: "field \(number)"))
        case ProtobufWireType.fixed32.rawValue:
            value = .fixed32(UInt32(try readLittleEndian(byteCount: 4, what: "field \(number)")))
        case ProtobufWireType.lengthDelimited.rawValue:
            let lengthOffset = position
            let length = try readVarint(what: "the length of field \(number)")
            guard length <= UInt64(end - position) else {
                throw ProtobufDecodingError.truncated(what: "field \(number) (\(length) bytes announced)", at: lengthOffset)
            }
            let bodyEnd = position + Int(length)
            value = .lengthDelimited(ProtobufReader(storage: storage, range: position..<bodyEnd))
            position = bodyEnd
        case let other:
            throw ProtobufDecodingError.unsupportedWireType(other, at: keyOffset)
        }
        return Field(number: Int(number), value: value, offset: keyOffset)
    }

    // MARK: - Raw values

    private mutating func readVarint(what: String) throws -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ProtobufDecodingError.truncated(what: what, at: start) }
            let byte = storage[position]
            position += 1
            // The tenth byte may carry only the top bit of a 64-bit value.
            guard shift < 63 || byte <= 1 else { throw ProtobufDecodingError.varintTooLong(at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func readLittleEndian(byteCount: Int, what: String) throws -> UInt64 {
        guard end - position >= byteCount else { throw ProtobufDecodingError.truncated(what: what, at: position) }
        var result: UInt64 = 0
        for index in 0..<byteCount {
            result |= UInt64(storage[position + index]) << (8 * UInt64(index))
        }
        position += byteCount
        return result
    }
}
