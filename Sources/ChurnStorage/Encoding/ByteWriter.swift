/// Appends little-endian fixed-width values to a growing byte array.
package struct ByteWriter {
    package private(set) var bytes: [UInt8]

    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func write(_ value: Double) { write(value.bitPattern) }

    /// Appends `byteCount` bytes that `fill` writes in place: bulk encoders store values
    /// directly instead of appending them one at a time.
    package mutating func write(byteCount: Int, _ fill: (UnsafeMutableRawPointer) -> Void) {
        guard byteCount > 0 else { return }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: byteCount))
        bytes.withUnsafeMutableBytes { fill($0.baseAddress! + start) }
    }

    package mutating func write(bytes other: some Collection<UInt8>) { bytes.append(contentsOf: other) }

    /// A length-prefixed UTF-8 string.
    package mutating func write(string: String) {
        var copy = string
        copy.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    package mutating func write(bool: Bool) { write(UInt8(bool ? 1 : 0)) }
}

/// Reads what `ByteWriter` wrote; every read is bounds-checked and throws instead of trapping,
/// because the bytes may come from a damaged file.
package struct ByteReader {
    package let bytes: UnsafeRawBufferPointer
    package private(set) var offset: Int

    package init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    package var remaining: Int { bytes.count - offset }

    package mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw StorageError.truncated(needed: size, available: remaining) }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    package mutating func readDouble() throws -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    package mutating func readBool() throws -> Bool {
        switch try read(UInt8.self) {
        case 0: return false
        case 1: return true
        case let other: throw StorageError.malformed("invalid boolean byte \(other)")
        }
    }

    package mutating func readBytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw StorageError.truncated(needed: count, available: remaining) }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
        offset += count
        return slice
    }

    package mutating func readString() throws -> String {
        let length = Int(try read(UInt32.self))
        let raw = try readBytes(length)
        guard let string = String(validating: raw, as: UTF8.self) else {
            throw StorageError.malformed("string is not valid UTF-8")
        }
        return string
    }
}
