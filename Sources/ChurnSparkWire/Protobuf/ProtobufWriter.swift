/// Appends protobuf (proto3) fields to a byte buffer.
///
/// Only what the Spark Connect messages need: varints, length-delimited bytes, strings, bools and
/// nested messages. Proto3 leaves default values (0, false, "") off the wire unless a field has
/// explicit presence, so the `writeX` methods skip defaults and the `writeXAlways` variants do not.
package struct ProtobufWriter: Sendable {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    // MARK: - Raw values

    package mutating func appendVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    package mutating func appendKey(field: Int, wireType: ProtobufWireType) {
        precondition(field > 0 && field < (1 << 29), "protobuf field numbers are 1...2^29-1")
        appendVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    // MARK: - Fields

    /// An int64/uint64/enum field; negative int64 values take ten bytes, as protobuf specifies.
    package mutating func writeVarint(field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        writeVarintAlways(field: field, value)
    }

    package mutating func writeVarintAlways(field: Int, _ value: UInt64) {
        appendKey(field: field, wireType: .varint)
        appendVarint(value)
    }

    package mutating func writeInt64(field: Int, _ value: Int64) {
        writeVarint(field: field, UInt64(bitPattern: value))
    }

    package mutating func writeBool(field: Int, _ value: Bool) {
        guard value else { return }
        writeVarintAlways(field: field, 1)
    }

    package mutating func writeBoolAlways(field: Int, _ value: Bool) {
        writeVarintAlways(field: field, value ? 1 : 0)
    }

    package mutating func writeBytes(field: Int, _ value: [UInt8]) {
        guard !value.isEmpty else { return }
        writeBytesAlways(field: field, value)
    }

    package mutating func writeBytesAlways(field: Int, _ value: [UInt8]) {
        appendKey(field: field, wireType: .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    package mutating func writeString(field: Int, _ value: String) {
        writeBytes(field: field, Array(value.utf8))
    }

    /// A string with explicit presence (`optional string`, or a oneof member): written even when empty.
    package mutating func writeStringAlways(field: Int, _ value: String) {
        writeBytesAlways(field: field, Array(value.utf8))
    }

    /// A nested message; written even when its body is empty, because a present empty message
    /// (e.g. `AnalyzePlanRequest.spark_version {}`) is how protobuf selects a oneof case.
    package mutating func writeMessage(field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        writeBytesAlways(field: field, nested.bytes)
    }
}
