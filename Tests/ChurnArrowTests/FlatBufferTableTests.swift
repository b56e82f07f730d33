import Testing
@testable import ChurnArrow

/// The table reader on hand-laid bytes: defaults, and offsets that point outside the buffer.
@Suite struct FlatBufferTableTests {
    /// Root offset, a vtable with one field, then a table holding the Int32 42.
    private let wellFormed: [UInt8] = [
        12, 0, 0, 0,  // root: table at 12
        6, 0, 8, 0, 4, 0,  // vtable: 6 bytes, table 8 bytes, field 0 at +4
        0, 0,  // padding
        8, 0, 0, 0,  // table: vtable 8 bytes back
        42, 0, 0, 0,  // field 0
    ]

    private func root(_ bytes: [UInt8]) throws(ArrowError) -> FlatBufferTable {
        try FlatBuffer(bytes: bytes, start: 0, end: bytes.count).rootTable()
    }

    @Test func readsFieldsAndDefaults() throws {
        let table = try root(wellFormed)
        #expect(try table.scalar(0, default: Int32(0)) == 42)
        #expect(try table.scalar(1, default: Int32(7)) == 7)
        #expect(try table.table(1) == nil)
    }

    @Test func vtableOutsideTheBuffer() {
        var bytes = wellFormed
        bytes[12] = 0xFF  // soffset 255: vtable before the buffer's start
        #expect(throws: ArrowError.self) { try root(bytes) }
    }

    @Test func tableLargerThanTheBuffer() {
        var bytes = wellFormed
        bytes[6] = 200
        #expect(throws: ArrowError.self) { try root(bytes) }
    }

    @Test func fieldOutsideItsTable() throws {
        var bytes = wellFormed
        bytes[8] = 6  // field 0 at +6 would end 2 bytes past the 8-byte table
        let table = try root(bytes)
        #expect(throws: ArrowError.self) { try table.scalar(0, default: Int32(0)) }
    }

    @Test func rootOffsetPastTheEnd() {
        var bytes = wellFormed
        bytes[0] = 0xF0
        #expect(throws: ArrowError.self) { try root(bytes) }
    }

    @Test func vectorCountBeyondTheBuffer() throws {
        // Field 0 is now an offset to a vector at 20 that claims 2^32 - 1 elements.
        var bytes = wellFormed
        bytes[16] = 4
        bytes += [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4]
        let table = try root(bytes)
        #expect(throws: ArrowError.self) { try table.vector(0, elementSize: 4) }
        #expect(throws: ArrowError.self) { try table.string(0) }
    }

    @Test func metadataBoundIsTheMessageNotTheBlob() throws {
        // The same table inside a larger blob, but the metadata region ends before field 0.
        let bytes = wellFormed + [UInt8](repeating: 0, count: 16)
        let buffer = FlatBuffer(bytes: bytes, start: 0, end: 16)
        #expect(throws: ArrowError.self) { try buffer.rootTable() }
    }
}
