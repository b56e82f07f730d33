/// Constants of the snapshot file layout; `SNAPSHOT-FORMAT.md` describes it byte by byte.
enum SnapshotFormat {
    /// `\x89CCUBE\r\n`: a non-ASCII first byte and a CR LF, so text tools and line-ending
    /// conversions cannot mistake or silently mangle a snapshot.
    static let magic: [UInt8] = [0x89, 0x43, 0x43, 0x55, 0x42, 0x45, 0x0D, 0x0A]
    /// The last eight bytes of every complete snapshot.
    static let tailMagic: [UInt8] = Array("CCUBEEND".utf8)
    /// The version this build writes, and the newest it reads.
    static let version: UInt32 = 1

    /// magic, version, flags, creation time, checksum.
    static let headerByteCount = 8 + 4 + 4 + 8 + 8
    /// index offset, length and checksum, file length, checksum, tail magic.
    static let footerByteCount = 8 + 8 + 8 + 8 + 8 + 8

    /// Column type tags in the index.
    enum TypeTag: UInt8 {
        case dimension = 0, integer = 1, decimal = 2, double = 3
    }

    /// Bits of a chunk's statistics presence byte.
    enum StatisticsFlag {
        static let integerRange: UInt8 = 1
        static let doubleRange: UInt8 = 2
        static let distinctCodes: UInt8 = 4
    }
}

/// Where a section lies in the file and the XXH64 of its bytes.
struct SectionReference: Equatable {
    var offset: Int
    var length: Int
    var checksum: UInt64

    var end: Int { offset + length }
}
