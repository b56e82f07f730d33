import Synchronization

/// The stored bytes of a chunk: owned by the chunk, or a range of a memory-mapped snapshot.
///
/// Mapped bytes are checked against the checksum the snapshot recorded the first time they are
/// read, by whichever thread gets there first; a chunk that fails is never decoded, and every
/// later read fails the same way with an error naming the file, the column and the chunk.
package struct ChunkBody: Sendable {
    private enum Storage: Sendable {
        case owned([UInt8])
        case mapped(MappedChunkBytes)
    }

    private let storage: Storage
    /// Where the chunk's decompressed bytes are found again while scans keep using them.
    let cacheKey = DecompressedChunkCache.CacheKey()

    package init(_ bytes: [UInt8]) { storage = .owned(bytes) }

    /// Bytes `offset..<offset + count` of `file`, to be verified against `checksum` (XXH64) before use.
    /// `column` and `chunkIndex` name the chunk in error messages.
    package init(file: MappedFile, offset: Int, count: Int, checksum: UInt64, column: String, chunkIndex: Int) {
        storage = .mapped(MappedChunkBytes(file: file, offset: offset, count: count, checksum: checksum,
                                           column: column, chunkIndex: chunkIndex))
    }

    package var count: Int {
        switch storage {
        case let .owned(bytes): return bytes.count
        case let .mapped(mapped): return mapped.count
        }
    }

    package var isEmpty: Bool { count == 0 }

    /// Whether a reader has already checked the decoded codes of these bytes against the dictionary.
    package var codesChecked: Bool { cacheKey.codesChecked.load(ordering: .acquiring) }

    package func markCodesChecked() { cacheKey.codesChecked.store(true, ordering: .releasing) }

    /// Whether the bytes live in a mapped file (and are verified on first use).
    package var isMapped: Bool {
        if case .mapped = storage { return true }
        return false
    }

    /// The checksum the file recorded for mapped bytes; nil for owned bytes.
    package var recordedChecksum: UInt64? {
        if case let .mapped(mapped) = storage { return mapped.checksum }
        return nil
    }

    /// Hands the bytes to `body`, after verifying mapped bytes (once) against their checksum.
    /// No copy is made: mapped bytes are read where they lie.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        switch storage {
        case let .owned(bytes): return try bytes.withUnsafeBytes(body)
        case let .mapped(mapped): return try body(try mapped.verifiedBytes())
        }
    }
}

/// A chunk's range of a mapped file and whether it has passed its checksum yet.
final class MappedChunkBytes: Sendable {
    let file: MappedFile
    let offset: Int
    let count: Int
    let checksum: UInt64
    let column: String
    let chunkIndex: Int
    /// 0: not checked yet; 1: verified; 2: failed. Two threads may both check a fresh chunk; they agree.
    private let state = Atomic<UInt8>(0)

    init(file: MappedFile, offset: Int, count: Int, checksum: UInt64, column: String, chunkIndex: Int) {
        self.file = file
        self.offset = offset
        self.count = count
        self.checksum = checksum
        self.column = column
        self.chunkIndex = chunkIndex
    }

    func verifiedBytes() throws -> UnsafeRawBufferPointer {
        let bytes = file.slice(offset: offset, count: count)
        switch state.load(ordering: .acquiring) {
        case 1: return bytes
        case 2: throw failure
        default:
            let matches = XXH64.hash(bytes) == checksum
            state.store(matches ? 1 : 2, ordering: .releasing)
            guard matches else { throw failure }
            return bytes
        }
    }

    private var failure: StorageError {
        .checksumMismatch(file: file.path, part: "chunk \(chunkIndex) of column '\(column)'")
    }
}
