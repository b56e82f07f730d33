/// Why a byte string is not the protobuf message it claims to be.
///
/// Offsets count from the start of the outermost message, so a hex dump can locate the fault.
package enum ProtobufDecodingError: Error, Equatable, CustomStringConvertible {
    case truncated(what: String, at: Int)
    case varintTooLong(at: Int)
    case invalidFieldNumber(at: Int)
    case unsupportedWireType(UInt8, at: Int)
    case unexpectedWireType(field: Int, expected: ProtobufWireType, found: ProtobufWireType, message: String)
    case invalidUTF8(field: Int, message: String)
    case missingField(field: Int, message: String)

    package var description: String {
        switch self {
        case .truncated(let what, let offset):
            return "protobuf message truncated while reading \(what) at byte \(offset)"
        case .varintTooLong(let offset):
            return "protobuf varint longer than 10 bytes at byte \(offset)"
        case .invalidFieldNumber(let offset):
            return "protobuf field number 0 at byte \(offset)"
        case .unsupportedWireType(let type, let offset):
            return "protobuf wire type \(type) is not supported (byte \(offset))"
        case .unexpectedWireType(let field, let expected, let found, let message):
            return "\(message) field \(field) has wire type \(found), expected \(expected)"
        case .invalidUTF8(let field, let message):
            return "\(message) field \(field) is not valid UTF-8"
        case .missingField(let field, let message):
            return "\(message) lacks required field \(field)"
        }
    }
}
