import ChurnModel
import ChurnStorage
import Dispatch
import Synchronization

/// Serializes a cube into the snapshot layout of `SNAPSHOT-FORMAT.md`, atomically.
///
/// Chunk bodies are written as they are stored, compressed frames or raw bytes, never re-encoded;
/// bodies mapped from another snapshot are verified on the way and keep their recorded checksum.
enum SnapshotWriter {
    static func write(_ cube: Cube, to target: SaveTarget, createdMilliseconds: Int64) throws -> SnapshotWriteReport {
        let started = DispatchTime.now()
        let path = target.path
        let columns = cube.store.columns
        let definitionText = try storableDefinition(cube, path: path)
        // The dictionaries (the accounts' one is most of the work) compress on another thread
        // while the chunk bodies are copied out; they are written after them.
        let dictionaryWork = DispatchGroup()
        nonisolated(unsafe) var dictionaryFrames: Result<[[UInt8]?], Error> = .success([])
        DispatchQueue.global().async(group: dictionaryWork) { dictionaryFrames = Result { try compressDictionaries(columns) } }
        defer { dictionaryWork.wait() }

        let file = try AtomicFile(target: target)
        do {
            // MARK: Header
            var header = ByteWriter(capacity: SnapshotFormat.headerByteCount)
            header.write(bytes: SnapshotFormat.magic)
            header.write(SnapshotFormat.version)
            header.write(UInt32(0))
            header.write(createdMilliseconds)
            header.write(XXH64.hash(header.bytes))
            try file.write(header.bytes)

            // MARK: Chunk bodies, column by column
            let checksums = try chunkChecksums(columns)
            var bodies: [[SectionReference]] = []
            var chunkCount = 0
            for (columnIndex, column) in columns.enumerated() {
                var references: [SectionReference] = []
                references.reserveCapacity(column.chunks.count)
                for (chunkIndex, chunk) in column.chunks.enumerated() {
                    let offset = file.offset
                    try chunk.body.withUnsafeBytes { bytes in try file.write(bytes) }
                    references.append(SectionReference(offset: offset, length: chunk.body.count, checksum: checksums[columnIndex][chunkIndex]))
                }
                chunkCount += column.chunks.count
                bodies.append(references)
            }

            // MARK: Metadata sections
            let definition = try writeSection(Array(definitionText.utf8), to: file)
            dictionaryWork.wait()
            var dictionaries: [SectionReference?] = []
            for frame in try dictionaryFrames.get() { dictionaries.append(try frame.map { try writeSection($0, to: file) }) }
            let index = indexBytes(cube, definition: definition, dictionaries: dictionaries, bodies: bodies)
            let indexReference = try writeSection(index, to: file)

            // MARK: Footer
            var footer = ByteWriter(capacity: SnapshotFormat.footerByteCount)
            footer.write(UInt64(indexReference.offset))
            footer.write(UInt64(indexReference.length))
            footer.write(indexReference.checksum)
            footer.write(UInt64(file.offset + SnapshotFormat.footerByteCount))
            footer.write(XXH64.hash(footer.bytes))
            footer.write(bytes: SnapshotFormat.tailMagic)
            try file.write(footer.bytes)
            let byteCount = file.offset
            try file.commit()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            return SnapshotWriteReport(path: path, byteCount: byteCount, rowCount: cube.store.rowCount,
                                       chunkCount: chunkCount, seconds: seconds)
        } catch let error as SnapshotError {
            file.discard()
            throw error
        } catch {
            file.discard()
            throw SnapshotError.cannotSave(path: path, reason: "\(error)")
        }
    }

    /// The definition's YAML, checked to read back to the same stored columns, so that a snapshot
    /// that saves is a snapshot that opens.
    private static func storableDefinition(_ cube: Cube, path: String) throws -> String {
        let text = cube.definition.yamlText
        let reread: CubeDefinition
        do {
            reread = try CubeDefinition.parse(yaml: text, file: "cube definition")
        } catch {
            throw SnapshotError.cannotSave(path: path, reason: "the cube definition cannot be stored: \(error)")
        }
        let stored = cube.store.columns.map { "\($0.name) \($0.type)" }
        guard reread.storedColumns.map({ "\($0.name) \($0.type)" }) == stored else {
            throw SnapshotError.cannotSave(path: path, reason: "the cube's columns do not match its definition")
        }
        return text
    }

    /// Each dimension's values (code 1 onwards) as length-prefixed UTF-8, zstd-compressed; nil for measures.
    private static func compressDictionaries(_ columns: [StoredColumn]) throws -> [[UInt8]?] {
        let frames = Mutex<[[UInt8]?]>([[UInt8]?](repeating: nil, count: columns.count))
        let failure = Mutex<Error?>(nil)
        DispatchQueue.concurrentPerform(iterations: columns.count) { position in
            let column = columns[position]
            guard column.type == .dimension else { return }
            var writer = ByteWriter(capacity: column.dictionary.storedByteCount)
            for value in column.dictionary.values.dropFirst() { writer.write(string: value) }
            do {
                let frame = try Zstd.compress(writer.bytes)
                frames.withLock { $0[position] = frame }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return frames.withLock { $0 }
    }

    /// Every chunk's checksum, hashed on all cores before the sequential write (bodies from a
    /// snapshot already carry theirs, verified when read).
    private static func chunkChecksums(_ columns: [StoredColumn]) throws -> [[UInt64]] {
        try parallelMap(columns.count) { index in
            try columns[index].chunks.map { chunk in
                try chunk.body.recordedChecksum ?? chunk.body.withUnsafeBytes { XXH64.hash($0) }
            }
        }
    }

    private static func writeSection(_ bytes: [UInt8], to file: AtomicFile) throws -> SectionReference {
        let reference = SectionReference(offset: file.offset, length: bytes.count, checksum: XXH64.hash(bytes))
        try file.write(bytes)
        return reference
    }

    // MARK: - Index

    private static func indexBytes(_ cube: Cube, definition: SectionReference, dictionaries: [SectionReference?],
                                   bodies: [[SectionReference]]) -> [UInt8] {
        let columns = cube.store.columns
        var writer = ByteWriter(capacity: 256 + bodies.reduce(0) { $0 + $1.count * 96 })
        writer.write(UInt64(cube.store.rowCount))
        writer.write(UInt32(columns.count))
        writer.write(definition)
        for (position, column) in columns.enumerated() {
            writer.write(string: column.name)
            switch column.type {
            case .dimension: writer.write(SnapshotFormat.TypeTag.dimension.rawValue); writer.write(UInt8(0))
            case .integer: writer.write(SnapshotFormat.TypeTag.integer.rawValue); writer.write(UInt8(0))
            case let .decimal(scale): writer.write(SnapshotFormat.TypeTag.decimal.rawValue); writer.write(UInt8(scale))
            case .double: writer.write(SnapshotFormat.TypeTag.double.rawValue); writer.write(UInt8(0))
            }
            if let dictionary = dictionaries[position] {
                writer.write(dictionary)
                writer.write(UInt32(column.dictionary.count))
            }
            writer.write(UInt32(column.chunks.count))
            for (chunk, body) in zip(column.chunks, bodies[position]) { writer.write(chunk, body: body) }
        }
        return writer.bytes
    }
}

extension ByteWriter {
    mutating func write(_ section: SectionReference) {
        write(UInt64(section.offset))
        write(UInt64(section.length))
        write(section.checksum)
    }

    /// A chunk's index entry: where its body lies, its header fields, its statistics.
    mutating func write(_ chunk: ColumnChunk, body: SectionReference) {
        write(body)
        write(chunk.encoding.rawValue)
        write(UInt32(chunk.rowCount))
        write(UInt8(chunk.byteWidth))
        write(chunk.base)
        write(chunk.common)
        write(UInt32(chunk.entryCount))
        write(UInt32(chunk.nullCount))
        write(bool: chunk.isCompressed)
        write(UInt32(chunk.packedByteCount))

        let statistics = chunk.statistics
        write(UInt32(statistics.nullCount))
        var flags: UInt8 = 0
        if statistics.integerRange != nil { flags |= SnapshotFormat.StatisticsFlag.integerRange }
        if statistics.doubleRange != nil { flags |= SnapshotFormat.StatisticsFlag.doubleRange }
        if statistics.distinctCodes != nil { flags |= SnapshotFormat.StatisticsFlag.distinctCodes }
        write(flags)
        if let range = statistics.integerRange { write(range.lowerBound); write(range.upperBound) }
        if let range = statistics.doubleRange { write(range.lowerBound); write(range.upperBound) }
        if let codes = statistics.distinctCodes {
            write(UInt16(codes.count))
            for code in codes { write(code) }
        }
    }
}
