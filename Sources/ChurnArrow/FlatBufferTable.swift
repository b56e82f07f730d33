/// A FlatBuffers table: fields found through its vtable, each checked to lie inside the table.
///
/// Slots are the field's index in the schema declaration; a union field takes two slots,
/// its type byte then its value.
struct FlatBufferTable {
    let buffer: FlatBuffer
    let position: Int
    private let vtable: Int
    private let vtableSize: Int
    private let tableSize: Int

    init(buffer: FlatBuffer, position: Int) throws(ArrowError) {
        let vtable = position - Int(try buffer.load(Int32.self, at: position))
        let vtableSize = Int(try buffer.load(UInt16.self, at: vtable))
        let tableSize = Int(try buffer.load(UInt16.self, at: vtable + 2))
        guard vtableSize >= 4, vtableSize % 2 == 0, buffer.contains(vtable, count: vtableSize) else {
            throw ArrowError(.malformed, "the vtable of the table at byte \(position) is \(vtableSize) bytes, which does not fit the metadata", at: vtable)
        }
        guard tableSize >= 4, buffer.contains(position, count: tableSize) else {
            throw ArrowError(.malformed, "the table at byte \(position) claims \(tableSize) bytes, which do not fit the metadata", at: position)
        }
        self.buffer = buffer
        self.position = position
        self.vtable = vtable
        self.vtableSize = vtableSize
        self.tableSize = tableSize
    }

    /// Absolute position of the field in `slot`, or nil when the table leaves it out (its default applies).
    func fieldPosition(_ slot: Int, size: Int) throws(ArrowError) -> Int? {
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try buffer.load(UInt16.self, at: vtable + entry))
        if offset == 0 { return nil }
        guard offset >= 4, offset + size <= tableSize else {
            throw ArrowError(.malformed, "field \(slot) of the table at byte \(position) lies outside the table", at: position)
        }
        return position + offset
    }

    func scalar<T: FixedWidthInteger>(_ slot: Int, default defaultValue: T) throws(ArrowError) -> T {
        guard let field = try fieldPosition(slot, size: MemoryLayout<T>.size) else { return defaultValue }
        return try buffer.load(T.self, at: field)
    }

    func bool(_ slot: Int, default defaultValue: Bool) throws(ArrowError) -> Bool {
        try scalar(slot, default: UInt8(defaultValue ? 1 : 0)) != 0
    }

    func table(_ slot: Int) throws(ArrowError) -> FlatBufferTable? {
        guard let field = try fieldPosition(slot, size: 4) else { return nil }
        return try FlatBufferTable(buffer: buffer, position: try buffer.target(ofOffsetAt: field))
    }

    func vector(_ slot: Int, elementSize: Int) throws(ArrowError) -> FlatBufferVector? {
        guard let field = try fieldPosition(slot, size: 4) else { return nil }
        return try FlatBufferVector(buffer: buffer, position: try buffer.target(ofOffsetAt: field), elementSize: elementSize)
    }

    /// A string field, which must be valid UTF-8.
    func string(_ slot: Int) throws(ArrowError) -> String? {
        guard let vector = try vector(slot, elementSize: 1) else { return nil }
        let utf8 = buffer.bytes[vector.elementsStart..<vector.elementsStart + vector.count]
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw ArrowError(.malformed, "the string at byte \(vector.elementsStart) is not valid UTF-8", at: vector.elementsStart)
        }
        return string
    }
}
