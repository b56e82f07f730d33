/// One FlatBuffers-encoded metadata block inside a larger blob, with bounds-checked loads.
///
/// Positions are absolute offsets into `bytes`, so errors can name the byte in the blob;
/// every load stays inside `start..<end`, the block's own bytes.
struct FlatBuffer {
    let bytes: [UInt8]
    let start: Int
    let end: Int

    init(bytes: [UInt8], start: Int, end: Int) {
        precondition(0 <= start && start <= end && end <= bytes.count, "metadata range checked by the framer")
        self.bytes = bytes
        self.start = start
        self.end = end
    }

    /// Whether `count` bytes from `position` lie inside the block.
    func contains(_ position: Int, count: Int) -> Bool {
        position >= start && count >= 0 && position <= end - count
    }

    func load<T: FixedWidthInteger>(_: T.Type, at position: Int) throws(ArrowError) -> T {
        guard contains(position, count: MemoryLayout<T>.size) else {
            throw ArrowError(.malformed, "metadata refers to byte \(position), outside its \(end - start) bytes at \(start)", at: position)
        }
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: T.self)) }
    }

    /// Follows the unsigned forward offset stored at `position`.
    func target(ofOffsetAt position: Int) throws(ArrowError) -> Int {
        let offset = Int(try load(UInt32.self, at: position))
        let target = position + offset
        guard contains(target, count: 4) else {
            throw ArrowError(.malformed, "metadata offset at byte \(position) points past the end of the metadata", at: position)
        }
        return target
    }

    /// The table the buffer's root offset points at (a Message, for IPC metadata).
    func rootTable() throws(ArrowError) -> FlatBufferTable {
        try FlatBufferTable(buffer: self, position: try target(ofOffsetAt: start))
    }
}
