/// A FlatBuffers vector whose element count has been checked against the metadata's bytes.
struct FlatBufferVector {
    let buffer: FlatBuffer
    let count: Int
    let elementsStart: Int
    let elementSize: Int

    init(buffer: FlatBuffer, position: Int, elementSize: Int) throws(ArrowError) {
        let count = Int(try buffer.load(UInt32.self, at: position))
        let elementsStart = position + 4
        // Checked before anyone sizes an array by `count`.
        guard count <= (buffer.end - elementsStart) / elementSize else {
            throw ArrowError(.malformed, "the vector at byte \(position) claims \(count) elements of \(elementSize) bytes, more than the metadata holds", at: position)
        }
        self.buffer = buffer
        self.count = count
        self.elementsStart = elementsStart
        self.elementSize = elementSize
    }

    /// Element `index` of a vector of tables.
    func table(at index: Int) throws(ArrowError) -> FlatBufferTable {
        precondition(elementSize == 4 && index >= 0 && index < count, "table index checked by the caller")
        return try FlatBufferTable(buffer: buffer, position: try buffer.target(ofOffsetAt: elementsStart + 4 * index))
    }

    /// A scalar member at `memberOffset` bytes into element `index` of a vector of structs.
    func structMember<T: FixedWidthInteger>(_: T.Type, at index: Int, memberOffset: Int) throws(ArrowError) -> T {
        precondition(index >= 0 && index < count && memberOffset + MemoryLayout<T>.size <= elementSize, "struct member checked by the caller")
        return try buffer.load(T.self, at: elementsStart + index * elementSize + memberOffset)
    }
}
