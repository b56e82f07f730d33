/// Typed views of a field's value that check the wire type against the schema.
extension ProtobufReader.Field {
    package func uint64(in message: String) throws -> UInt64 {
        switch value {
        case .varint(let raw): return raw
        default: throw mismatch(expected: .varint, in: message)
        }
    }

    package func int64(in message: String) throws -> Int64 {
        Int64(bitPattern: try uint64(in: message))
    }

    /// An int32 field: protobuf sign-extends negative values to 64 bits, so truncation is exact.
    package func int32(in message: String) throws -> Int32 {
        Int32(truncatingIfNeeded: try uint64(in: message))
    }

    package func bool(in message: String) throws -> Bool {
        try uint64(in: message) != 0
    }

    package func bytes(in message: String) throws -> [UInt8] {
        try nested(in: message).remainingBytes
    }

    package func string(in message: String) throws -> String {
        let raw = try bytes(in: message)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw ProtobufDecodingError.invalidUTF8(field: number, message: message)
        }
        return text
    }

    /// A reader over a nested message's body.
    package func nested(in message: String) throws -> ProtobufReader {
        switch value {
        case .lengthDelimited(let reader): return reader
        default: throw mismatch(expected: .lengthDelimited, in: message)
        }
    }

    private func mismatch(expected: ProtobufWireType, in message: String) -> ProtobufDecodingError {
        .unexpectedWireType(field: number, expected: expected, found: value.wireType, message: message)
    }
}
