import ChurnModel
import ChurnStorage

/// Reads and checks a snapshot's metadata: header, footer, index and definition; the data
/// section and the dictionaries are not touched until `open` asks for them.
///
/// Every section is verified against its checksum before it is parsed, and every reference in the
/// index is checked to lie inside the file; the sections and chunk bodies must tile the file
/// exactly, so no byte of a snapshot goes unchecked.
struct SnapshotReader {
    /// A chunk as the index describes it.
    struct IndexedChunk {
        var body: SectionReference
        var chunk: (encoding: ChunkEncoding, rowCount: Int, byteWidth: Int, base: Int64, common: Int64,
                    entryCount: Int, nullCount: Int, isCompressed: Bool, packedByteCount: Int)
        var statistics: ChunkStatistics
    }

    /// A column as the index describes it.
    struct IndexedColumn {
        var name: String
        var type: ColumnType
        var dictionary: SectionReference?
        /// Codes of the dictionary, NULL included.
        var dictionaryCount: Int
        var chunks: [IndexedChunk]
    }

    let file: MappedFile
    let version: UInt32
    let createdMilliseconds: Int64
    let rowCount: Int
    let definition: CubeDefinition
    let columns: [IndexedColumn]

    var path: String { file.path }

    init(path: String) throws {
        do {
            file = try MappedFile(path: path)
        } catch let StorageError.cannotRead(_, reason) {
            throw SnapshotError.cannotOpen(path: path, reason: reason)
        }
        let bytes = file.bytes
        func damaged(_ problem: String) -> SnapshotError { .damaged(path: path, problem: problem) }

        // MARK: Header
        if bytes.isEmpty { throw SnapshotError.empty(path: path) }
        let magic = SnapshotFormat.magic
        let signature = Array(bytes.prefix(magic.count))
        guard signature == Array(magic.prefix(signature.count)) else { throw SnapshotError.notASnapshot(path: path) }
        let headerCount = SnapshotFormat.headerByteCount, footerCount = SnapshotFormat.footerByteCount
        guard bytes.count >= headerCount + footerCount else {
            throw damaged("the file is truncated: \(bytes.count) bytes, fewer than any snapshot has")
        }
        var header = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[0..<headerCount]), offset: magic.count)
        let version = try header.read(UInt32.self)
        let flags = try header.read(UInt32.self)
        createdMilliseconds = try header.read(Int64.self)
        let headerChecksum = try header.read(UInt64.self)
        guard XXH64.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<headerCount - 8])) == headerChecksum else {
            throw damaged("the header fails its checksum")
        }
        guard version <= SnapshotFormat.version else { throw SnapshotError.newerVersion(path: path, version: version) }
        guard version >= 1 else { throw damaged("the header declares format version 0") }
        guard flags == 0 else { throw damaged("the header sets unknown flags 0x\(String(flags, radix: 16))") }
        self.version = version

        // MARK: Footer
        let footerStart = bytes.count - footerCount
        let footerBytes = UnsafeRawBufferPointer(rebasing: bytes[footerStart...])
        guard Array(footerBytes.suffix(8)) == SnapshotFormat.tailMagic else {
            throw damaged("the file is truncated: it does not end with the snapshot footer (\(bytes.count) bytes)")
        }
        var footer = ByteReader(footerBytes)
        let indexOffset = try footer.read(UInt64.self)
        let indexLength = try footer.read(UInt64.self)
        let indexChecksum = try footer.read(UInt64.self)
        let fileLength = try footer.read(UInt64.self)
        let footerChecksum = try footer.read(UInt64.self)
        guard XXH64.hash(UnsafeRawBufferPointer(rebasing: footerBytes[footerBytes.startIndex..<footerBytes.startIndex + 32])) == footerChecksum else {
            throw damaged("the footer fails its checksum")
        }
        guard fileLength == UInt64(bytes.count) else {
            throw damaged("the file is \(bytes.count) bytes but its footer says \(fileLength): truncated or extended")
        }

        // MARK: Index
        let metadataEnd = footerStart
        func checkedRange(_ offset: UInt64, _ length: UInt64, _ what: String) throws -> SectionReference {
            guard let start = Int(exactly: offset), let count = Int(exactly: length),
                  start >= headerCount, count <= metadataEnd - start else {
                throw damaged("\(what) lies outside the file")
            }
            return SectionReference(offset: start, length: count, checksum: 0)
        }
        var indexReference = try checkedRange(indexOffset, indexLength, "the index")
        indexReference.checksum = indexChecksum
        guard indexReference.end == metadataEnd else { throw damaged("the index does not end at the footer") }
        let indexBytes = try Self.verified(file, indexReference, "the index", path: path)
        var index = ByteReader(indexBytes)
        var ranges: [SectionReference] = [indexReference]
        let definitionReference: SectionReference
        var columns: [IndexedColumn] = []
        do {
            guard let rows = Int(exactly: try index.read(UInt64.self)) else { throw damaged("the index records an impossible row count") }
            rowCount = rows
            let columnCount = Int(try index.read(UInt32.self))
            func readSection(_ what: String) throws -> SectionReference {
                var reference = try checkedRange(try index.read(UInt64.self), try index.read(UInt64.self), what)
                reference.checksum = try index.read(UInt64.self)
                ranges.append(reference)
                return reference
            }
            definitionReference = try readSection("the cube definition")
            for _ in 0..<columnCount {
                let name = try index.readString()
                let tag = try index.read(UInt8.self)
                let scale = Int(try index.read(UInt8.self))
                let type: ColumnType
                switch SnapshotFormat.TypeTag(rawValue: tag) {
                case .dimension: type = .dimension
                case .integer: type = .integer
                case .decimal: type = .decimal(scale: scale)
                case .double: type = .double
                case nil: throw damaged("column '\(name)' has unknown type tag \(tag)")
                }
                var dictionary: SectionReference?
                var dictionaryCount = 0
                if type == .dimension {
                    dictionary = try readSection("the dictionary of column '\(name)'")
                    dictionaryCount = Int(try index.read(UInt32.self))
                    guard dictionaryCount >= 1 else { throw damaged("the dictionary of column '\(name)' lacks the NULL code") }
                }
                let chunkCount = Int(try index.read(UInt32.self))
                var chunks: [IndexedChunk] = []
                chunks.reserveCapacity(min(chunkCount, index.remaining / 64))
                for chunkIndex in 0..<chunkCount {
                    let chunk = try Self.readChunk(&index, body: try readSection("chunk \(chunkIndex) of column '\(name)'"))
                    try Self.check(chunk, type: type, dictionaryCount: dictionaryCount) {
                        damaged("chunk \(chunkIndex) of column '\(name)' \($0)")
                    }
                    chunks.append(chunk)
                }
                columns.append(IndexedColumn(name: name, type: type, dictionary: dictionary,
                                             dictionaryCount: dictionaryCount, chunks: chunks))
            }
        } catch StorageError.truncated {
            throw damaged("the index ends early")
        } catch let StorageError.malformed(problem) {
            throw damaged("the index is malformed: \(problem)")
        }
        guard index.remaining == 0 else { throw damaged("the index has \(index.remaining) unexplained bytes at its end") }
        for column in columns where column.chunks.reduce(0, { $0 + $1.chunk.rowCount }) != rowCount {
            throw damaged("column '\(column.name)' holds a different number of rows than the index's \(rowCount)")
        }

        // MARK: Every byte accounted for
        ranges.sort { ($0.offset, $0.length) < ($1.offset, $1.length) }
        var next = headerCount
        for range in ranges {
            guard range.offset == next else {
                throw damaged(range.offset > next ? "bytes \(next)..<\(range.offset) belong to no section"
                                                  : "sections overlap at byte \(range.offset)")
            }
            next = range.end
        }
        guard next == metadataEnd else { throw damaged("bytes \(next)..<\(metadataEnd) belong to no section") }

        // MARK: Definition
        let definitionBytes = try Self.verified(file, definitionReference, "the cube definition", path: path)
        guard let yaml = String(validating: definitionBytes, as: UTF8.self) else {
            throw damaged("the cube definition is not UTF-8 text")
        }
        do {
            definition = try CubeDefinition.parse(yaml: yaml, file: "\(path) (cube definition)")
        } catch {
            throw damaged("the stored cube definition does not parse: \(error)")
        }
        let declared = definition.storedColumns.map { "\($0.name) \($0.type)" }
        guard declared == columns.map({ "\($0.name) \($0.type)" }) else {
            throw damaged("the stored columns do not match the cube definition")
        }
        self.columns = columns
    }

    /// The bytes of a section after checking them against its checksum.
    static func verified(_ file: MappedFile, _ section: SectionReference, _ what: String, path: String) throws -> UnsafeRawBufferPointer {
        let bytes = file.slice(offset: section.offset, count: section.length)
        guard XXH64.hash(bytes) == section.checksum else { throw SnapshotError.damaged(path: path, problem: "\(what) fails its checksum") }
        return bytes
    }

    private static func readChunk(_ index: inout ByteReader, body: SectionReference) throws -> IndexedChunk {
        let encodingTag = try index.read(UInt8.self)
        guard let encoding = ChunkEncoding(rawValue: encodingTag) else { throw StorageError.malformed("unknown chunk encoding \(encodingTag)") }
        let rowCount = Int(try index.read(UInt32.self))
        let byteWidth = Int(try index.read(UInt8.self))
        let base = try index.read(Int64.self)
        let common = try index.read(Int64.self)
        let entryCount = Int(try index.read(UInt32.self))
        let nullCount = Int(try index.read(UInt32.self))
        let isCompressed = try index.readBool()
        let packedByteCount = Int(try index.read(UInt32.self))

        let statisticsNullCount = Int(try index.read(UInt32.self))
        let flags = try index.read(UInt8.self)
        guard flags & ~UInt8(7) == 0 else { throw StorageError.malformed("unknown statistics flags \(flags)") }
        var statistics = ChunkStatistics(rowCount: rowCount, nullCount: statisticsNullCount)
        if flags & SnapshotFormat.StatisticsFlag.integerRange != 0 {
            let low = try index.read(Int64.self), high = try index.read(Int64.self)
            guard low <= high else { throw StorageError.malformed("an integer range runs backwards") }
            statistics.integerRange = low...high
        }
        if flags & SnapshotFormat.StatisticsFlag.doubleRange != 0 {
            let low = try index.readDouble(), high = try index.readDouble()
            guard low <= high else { throw StorageError.malformed("a double range runs backwards or is NaN") }
            statistics.doubleRange = low...high
        }
        if flags & SnapshotFormat.StatisticsFlag.distinctCodes != 0 {
            let count = Int(try index.read(UInt16.self))
            var codes: [UInt32] = []
            codes.reserveCapacity(count)
            for _ in 0..<count { codes.append(try index.read(UInt32.self)) }
            statistics.distinctCodes = codes
        }
        return IndexedChunk(body: body, chunk: (encoding, rowCount, byteWidth, base, common, entryCount, nullCount,
                                                isCompressed, packedByteCount), statistics: statistics)
    }

    /// Header fields a decoder relies on, checked once at open so that no later read can go out of bounds.
    private static func check(_ indexed: IndexedChunk, type: ColumnType, dictionaryCount: Int,
                              _ fail: (String) -> SnapshotError) throws {
        let chunk = columnChunk(indexed, body: ChunkBody([]))
        let expected: Int
        do {
            expected = try IntegerCodec.expectedPackedSize(chunk) + (chunk.nullCount > 0 ? (chunk.rowCount + 7) / 8 : 0)
        } catch {
            throw fail("has an inconsistent header")
        }
        guard expected == chunk.packedByteCount else { throw fail("has an inconsistent header") }
        guard chunk.isCompressed || indexed.body.length == chunk.packedByteCount else { throw fail("has a body of the wrong size") }
        let statistics = indexed.statistics
        guard statistics.nullCount >= 0, statistics.nullCount <= chunk.rowCount else { throw fail("has impossible statistics") }
        if type == .dimension {
            let codeLimit = Int64(dictionaryCount)
            guard chunk.nullCount == 0, statistics.doubleRange == nil,
                  (statistics.integerRange.map { $0.lowerBound >= 1 && $0.upperBound < codeLimit } ?? true),
                  (statistics.distinctCodes?.allSatisfy { Int64($0) < codeLimit && $0 >= 1 } ?? true)
            else { throw fail("refers to codes outside its dictionary") }
            // Codes travel through the encodings as integers: the frame of reference bounds them.
            guard chunk.base >= 0, chunk.base < codeLimit, chunk.common == 0 || chunk.common < codeLimit else {
                throw fail("refers to codes outside its dictionary")
            }
        }
    }

    static func columnChunk(_ indexed: IndexedChunk, body: ChunkBody) -> ColumnChunk {
        let fields = indexed.chunk
        return ColumnChunk(encoding: fields.encoding, rowCount: fields.rowCount, byteWidth: fields.byteWidth, base: fields.base,
                           common: fields.common, entryCount: fields.entryCount, nullCount: fields.nullCount,
                           isCompressed: fields.isCompressed, body: body, packedByteCount: fields.packedByteCount,
                           statistics: indexed.statistics)
    }
}
