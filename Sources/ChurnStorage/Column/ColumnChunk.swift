/// The lightweight encoding applied to a chunk's values before zstd.
package enum ChunkEncoding: UInt8, Sendable, CustomStringConvertible {
    /// One value repeated: nothing stored but the value.
    case constant = 0
    /// Every value, as its offset from the chunk minimum in the narrowest byte width.
    case plain = 1
    /// Runs of equal values: run values, then run lengths (UInt16, length - 1).
    case runLength = 2
    /// A common value (usually zero) everywhere but a few positions: positions (UInt16), then values.
    case sparse = 3

    package var description: String {
        switch self {
        case .constant: return "constant"
        case .plain: return "plain"
        case .runLength: return "rle"
        case .sparse: return "sparse"
        }
    }
}

/// One column's values for one row group, encoded and compressed, with its statistics.
///
/// Values are 64-bit integers to the codec: dictionary codes, integers, scaled decimals and the
/// bit patterns of doubles all pass through the same encodings. NULL rows hold a filler value
/// (the previous value, so runs survive) and are marked in a null bitmap stored after the values.
package struct ColumnChunk: Sendable {
    /// Row groups are at most this long, so positions and run lengths fit in 16 bits.
    package static let maximumRowCount = 65_536

    package var encoding: ChunkEncoding
    package var rowCount: Int
    /// Bytes per packed value: 0 (constant), 1, 2, 4 or 8.
    package var byteWidth: Int
    /// Frame of reference: packed values are offsets from `base` (wrapping arithmetic).
    package var base: Int64
    /// The value of every position a sparse chunk does not list.
    package var common: Int64
    /// Runs of a run-length chunk, listed positions of a sparse chunk.
    package var entryCount: Int
    package var nullCount: Int
    /// Whether `body` is a zstd frame; chunks zstd cannot shrink are kept raw, which is also faster to read.
    package var isCompressed: Bool
    /// The packed values (and null bitmap), compressed when `isCompressed`: owned bytes, or a
    /// range of a mapped snapshot verified on first read.
    package var body: ChunkBody
    /// Size of the packed values before zstd.
    package var packedByteCount: Int
    package var statistics: ChunkStatistics

    package var storedByteCount: Int { body.count + ColumnChunk.headerByteCount }

    /// The fixed fields above as serialized beside the body.
    package static let headerByteCount = 1 + 4 + 1 + 8 + 8 + 4 + 4 + 1 + 4

    package init(encoding: ChunkEncoding, rowCount: Int, byteWidth: Int, base: Int64, common: Int64,
                 entryCount: Int, nullCount: Int, isCompressed: Bool, body: ChunkBody, packedByteCount: Int,
                 statistics: ChunkStatistics) {
        self.encoding = encoding
        self.rowCount = rowCount
        self.byteWidth = byteWidth
        self.base = base
        self.common = common
        self.entryCount = entryCount
        self.nullCount = nullCount
        self.isCompressed = isCompressed
        self.body = body
        self.packedByteCount = packedByteCount
        self.statistics = statistics
    }
}
