import Testing
@testable import ChurnSparkWire

@Suite struct ProtobufReaderTests {
    @Test(arguments: [
        "execute_plan_response_arrow", "execute_plan_response_progress", "analyze_spark_version_response",
        "interrupt_response", "google_rpc_status",
    ])
    func everyTruncationOfAResponseThrows(name: String) throws {
        let bytes = try Fixture.bytes(name)
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            // A cut that falls between two top-level fields is a valid, shorter message; any other must throw.
            if isFieldBoundary(bytes, length) { continue }
            #expect(throws: ProtobufDecodingError.self, "prefix of \(length) bytes of \(name)") {
                switch name {
                case "analyze_spark_version_response": _ = try AnalyzePlanResponse(decoding: prefix)
                case "interrupt_response": _ = try InterruptResponse(decoding: prefix)
                case "google_rpc_status": _ = try GoogleRPCStatus(decoding: prefix)
                default: _ = try ExecutePlanResponse(decoding: prefix)
                }
            }
        }
    }

    @Test func varintRoundTrip() throws {
        let values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 35, UInt64(Int64.max), UInt64.max]
        var writer = ProtobufWriter()
        for value in values { writer.writeVarintAlways(field: 1, value) }
        var reader = ProtobufReader(writer.bytes)
        var decoded: [UInt64] = []
        while let field = try reader.nextField() { decoded.append(try field.uint64(in: "test")) }
        #expect(decoded == values)
    }

    @Test func negativeInt64TakesTenBytes() throws {
        var writer = ProtobufWriter()
        writer.writeInt64(field: 1, -1)
        #expect(writer.bytes.count == 11)
        var reader = ProtobufReader(writer.bytes)
        #expect(try reader.nextField()?.int64(in: "test") == -1)
    }

    @Test func overlongVarintThrows() {
        var reader = ProtobufReader([0x08] + Array(repeating: 0xFF, count: 10) + [0x01])
        #expect(throws: ProtobufDecodingError.varintTooLong(at: 1)) { _ = try reader.nextField() }
    }

    @Test func fieldNumberZeroThrows() {
        var reader = ProtobufReader([0x00, 0x01])
        #expect(throws: ProtobufDecodingError.invalidFieldNumber(at: 0)) { _ = try reader.nextField() }
    }

    @Test func groupsAreRefused() {
        var reader = ProtobufReader([0x0B])
        #expect(throws: ProtobufDecodingError.unsupportedWireType(3, at: 0)) { _ = try reader.nextField() }
    }

    @Test func lengthBeyondTheEndThrows() {
        // Field 2, length 5, only 2 bytes follow.
        #expect(throws: ProtobufDecodingError.self) { _ = try ExecutePlanResponse(decoding: [0x12, 0x05, 0x08, 0x01]) }
    }

    @Test func hugeLengthDoesNotOverflow() {
        var bytes: [UInt8] = [0x12]
        bytes += Array(repeating: 0xFF, count: 9) + [0x01]
        #expect(throws: ProtobufDecodingError.self) { _ = try ExecutePlanResponse(decoding: bytes) }
    }

    @Test func wrongWireTypeForAKnownFieldThrows() {
        // session_id (field 1) sent as a varint.
        #expect(throws: ProtobufDecodingError.unexpectedWireType(field: 1, expected: .lengthDelimited, found: .varint, message: "ExecutePlanResponse")) {
            _ = try ExecutePlanResponse(decoding: [0x08, 0x01])
        }
    }

    @Test func invalidUTF8Throws() {
        #expect(throws: ProtobufDecodingError.invalidUTF8(field: 1, message: "ExecutePlanResponse")) {
            _ = try ExecutePlanResponse(decoding: [0x0A, 0x02, 0xC3, 0x28])
        }
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        // Field 1007 is not in ExecutePlanResponse; its key is varint 1007 << 3 | wire type.
        var bytes: [UInt8] = []
        bytes += [0xF8, 0x3E, 0x05]                               // varint
        bytes += [0xF9, 0x3E] + Array(repeating: 0xAB, count: 8)  // fixed64
        bytes += [0xFD, 0x3E] + Array(repeating: 0xCD, count: 4)  // fixed32
        bytes += [0xFA, 0x3E, 0x02, 0x01, 0x02]                   // length-delimited
        bytes += [0x6A, 0x01, 0x72]                               // response_id = "r"
        let response = try ExecutePlanResponse(decoding: bytes)
        #expect(response.responseID == "r")
        #expect(response.payload == .none)
    }

    @Test func otherResponseTypesAreNamedNotDropped() throws {
        // extension = 999, an empty google.protobuf.Any.
        let response = try ExecutePlanResponse(decoding: [0xBA, 0x3E, 0x00])
        #expect(response.payload == .other(field: 999))
    }

    /// Whether `length` ends exactly after a complete top-level field of `bytes`.
    private func isFieldBoundary(_ bytes: [UInt8], _ length: Int) -> Bool {
        var reader = ProtobufReader(bytes)
        var position = 0
        while position < length {
            let before = reader.remainingCount
            guard (try? reader.nextField()) != nil else { return false }
            position += before - reader.remainingCount
        }
        return position == length
    }
}
