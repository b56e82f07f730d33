/// The low three bits of a protobuf field key: how the value that follows is laid out.
package enum ProtobufWireType: UInt8, Sendable, Equatable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    // Groups are deprecated; they are recognised only so a reader can name them in an error.
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}
