import Testing
@testable import ChurnArrow

/// Valid Arrow the reader refuses, and hostile streams: each gives an error that names the place.
@Suite struct ArrowStreamErrorTests {
    private func error(_ fixture: String) throws -> ArrowError {
        try #require(Fixture.error(Fixture.bytes(fixture)), "\(fixture) decoded without error")
    }

    @Test func unsupportedTypeNamesColumnAndType() throws {
        let error = try error("timestamp.arrows")
        #expect(error.kind == .unsupported)
        #expect(error.column == "x")
        #expect(error.messageIndex == 0)
        #expect(error.problem == "column 'x' has Arrow type timestamp, which the reader does not support")
        #expect(error.description.hasPrefix("Arrow stream message 0 at byte "))
        #expect(error.description.hasSuffix(": column 'x' has Arrow type timestamp, which the reader does not support"))
    }

    @Test func dictionaryEncodedColumn() throws {
        let error = try error("dictionary.arrows")
        #expect(error.kind == .unsupported)
        #expect(error.column == "city")
        #expect(error.problem == "column 'city' is dictionary-encoded (values of Arrow type utf8), which the reader does not support")
    }

    @Test func compressedBodyNamesTheCodec() throws {
        let error = try error("zstd.arrows")
        #expect(error.kind == .unsupported)
        #expect(error.messageIndex == 1)
        #expect(error.problem.contains("compressed with ZSTD"))
    }

    @Test func uint64BeyondInt64() throws {
        let error = try error("uint64_overflow.arrows")
        #expect(error.kind == .unsupported)
        #expect(error.column == "big")
        #expect(error.problem == "column 'big' holds uint64 value 9223372036854775808 at row 1, which does not fit in Int64")
    }

    @Test func decimal256() throws {
        let error = try error("decimal256.arrows")
        #expect(error.problem == "column 'wide' has Arrow type decimal256(50,2), which the reader does not support")
    }

    @Test func bigEndianSchema() throws {
        let error = try error("big_endian.arrows")
        #expect(error.kind == .unsupported)
        #expect(error.messageIndex == 0)
        #expect(error.problem.contains("big-endian"))
    }

    /// 2^60 rows over a 24-byte body: refused before anything is allocated for them.
    @Test func rowCountBeyondTheBody() throws {
        let error = try error("huge_length.arrows")
        #expect(error.kind == .malformed)
        #expect(error.column == "v")
        #expect(error.messageIndex == 1)
        #expect(error.description.contains(", column 'v': the values buffer has 24 bytes where 1152921504606846976 rows need"))
    }

    /// Int64.max rows on a string column, whose offsets need one entry more than there are rows.
    @Test func largestRowCountOnAStringColumn() throws {
        let error = try error("huge_utf8.arrows")
        #expect(error.kind == .malformed)
        #expect(error.column == "s")
        #expect(error.problem == "the offsets buffer cannot hold 9223372036854775807 + 1 offsets")
    }

    @Test func emptyBlob() throws {
        let error = try #require(Fixture.error([]))
        #expect(error.kind == .truncated)
        #expect(error.description == "Arrow stream message 0 at byte 0: the stream ends before its schema message")
    }

    @Test func recordBatchBeforeSchema() throws {
        let bytes = Fixture.bytes("hand_valid.arrows")
        let boundaries = try Fixture.messageBoundaries(bytes)
        let batchOnly = Array(bytes[boundaries[1]..<boundaries[2]])
        let error = try #require(Fixture.error(batchOnly))
        #expect(error.problem == "a record batch comes before the schema message")
    }

    @Test func secondSchema() throws {
        let bytes = Fixture.bytes("hand_valid.arrows")
        let boundaries = try Fixture.messageBoundaries(bytes)
        let schema = Array(bytes[boundaries[0]..<boundaries[1]])
        let error = try #require(Fixture.error(schema + schema))
        #expect(error.messageIndex == 1)
        #expect(error.problem == "the stream has a second schema message")
    }

    @Test func invalidUTF8InStringData() throws {
        var bytes = Fixture.bytes("strings.arrows")
        let plain = Array("plain".utf8)
        let at = try #require((0...(bytes.count - plain.count)).first { Array(bytes[$0..<$0 + plain.count]) == plain })
        bytes[at] = 0xC3  // starts a two-byte sequence that 'l' does not continue
        let error = try #require(Fixture.error(bytes))
        #expect(error.kind == .malformed)
        #expect(error.problem == "column 's' holds invalid UTF-8 at row 0")
    }
}
