import ChurnModel
import ChurnStorage
import Dispatch
import Foundation
import Synchronization

/// Snapshots: a cube saved to one file that opens in milliseconds and cannot be corrupted silently.
///
/// A snapshot holds the cube definition, the dictionaries, and the column chunks as their stored
/// (compressed) bytes with their statistics; `SNAPSHOT-FORMAT.md` describes the layout. Opening
/// reads only the metadata and maps the chunk bodies, which are checked against their checksums
/// and decompressed when a query first reads them. Saving is atomic: a failed save leaves the
/// previous file as it was.
package enum Snapshot {
    /// The file name extension snapshots use by convention.
    package static let fileExtension = "ccube"

    /// Saves `cube` to `path`, replacing any file there atomically, once no other writer of the
    /// file holds its lock (waiting up to `SnapshotLock.defaultTimeout`).
    @discardableResult
    package static func write(_ cube: Cube, to path: String) throws -> SnapshotWriteReport {
        let lock = try SnapshotLock.acquire(path: path)
        defer { lock.release() }
        return try write(cube, holding: lock)
    }

    /// Saves `cube` to the snapshot whose lock the caller holds: `append` takes the lock before it
    /// reads the old file, so no other writer slips in between.
    @discardableResult
    package static func write(_ cube: Cube, holding lock: SnapshotLock) throws -> SnapshotWriteReport {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        return try SnapshotWriter.write(cube, to: lock.target, createdMilliseconds: now)
    }

    /// Opens a snapshot: reads and verifies its metadata and dictionaries, and maps its chunks
    /// for reading on demand. Errors start with `path`. Temporary files that saves killed midway
    /// left beside it are removed.
    package static func open(path: String) throws -> Cube {
        let reader = try SnapshotReader(path: path)
        AtomicFile.removeAbandoned(beside: path)
        let dictionaries = try readDictionaries(reader)
        var columns: [StoredColumn] = []
        columns.reserveCapacity(reader.columns.count)
        for (position, indexed) in reader.columns.enumerated() {
            let chunks = indexed.chunks.enumerated().map { chunkIndex, chunk in
                SnapshotReader.columnChunk(chunk, body: ChunkBody(file: reader.file, offset: chunk.body.offset,
                                                                  count: chunk.body.length, checksum: chunk.body.checksum,
                                                                  column: indexed.name, chunkIndex: chunkIndex))
            }
            columns.append(StoredColumn(name: indexed.name, type: indexed.type,
                                        dictionary: dictionaries[position] ?? ValueDictionary(), chunks: chunks))
        }
        do {
            return Cube(definition: reader.definition, store: try ColumnStore(columns: columns))
        } catch {
            throw SnapshotError.damaged(path: path, problem: "\(error)")
        }
    }

    /// What a snapshot holds, from its metadata alone: neither chunks nor dictionaries are read.
    package static func info(path: String) throws -> SnapshotInfo {
        let reader = try SnapshotReader(path: path)
        let columns = reader.columns.map { column in
            SnapshotInfo.Column(name: column.name, type: column.type,
                                cardinality: column.type == .dimension ? column.dictionaryCount - 1 : nil,
                                chunkCount: column.chunks.count,
                                compressedByteCount: column.chunks.reduce(0) { $0 + $1.body.length } + (column.dictionary?.length ?? 0))
        }
        let dataBytes = reader.columns.reduce(0) { $0 + $1.chunks.reduce(0) { $0 + $1.body.length } }
        return SnapshotInfo(path: path, formatVersion: reader.version, definition: reader.definition,
                            createdMilliseconds: reader.createdMilliseconds, rowCount: reader.rowCount,
                            rowGroupCount: reader.columns.first?.chunks.count ?? 0, columns: columns,
                            fileByteCount: reader.file.count, dataByteCount: dataBytes)
    }

    /// Whether the file starts with the snapshot signature (it may still be damaged further on).
    package static func isSnapshot(path: String) -> Bool {
        FileProbe.prefix(of: path, count: SnapshotFormat.magic.count) == SnapshotFormat.magic
    }

    /// `base` followed by the rows of `addition`, a cube loaded with `IngestOptions.continuing = base`:
    /// the old chunks are kept as they are (mapped bodies stay mapped), the new ones follow, and the
    /// dictionaries are the addition's, which extend the base's. `path` names the snapshot in errors.
    package static func appending(_ addition: Cube, to base: Cube, path: String) throws -> Cube {
        let baseColumns = base.store.columns, addedColumns = addition.store.columns
        guard baseColumns.map({ "\($0.name) \($0.type)" }) == addedColumns.map({ "\($0.name) \($0.type)" }) else {
            throw SnapshotError.incompatible(path: path, problem: "the new rows do not have the snapshot's columns")
        }
        var columns: [StoredColumn] = []
        for (old, new) in zip(baseColumns, addedColumns) {
            guard new.dictionary.values.starts(with: old.dictionary.values, by: { ByteString($0) == ByteString($1) }) else {
                throw SnapshotError.incompatible(path: path, problem: "the new rows renumber the values of column '\(old.name)'")
            }
            columns.append(StoredColumn(name: old.name, type: old.type, dictionary: new.dictionary,
                                        chunks: old.chunks + new.chunks))
        }
        return Cube(definition: base.definition, store: try ColumnStore(columns: columns))
    }

    // MARK: - Dictionaries

    /// Each dimension's dictionary, verified, decompressed and rebuilt, columns in parallel.
    private static func readDictionaries(_ reader: SnapshotReader) throws -> [ValueDictionary?] {
        let results = Mutex<[Result<ValueDictionary, Error>?]>(Array(repeating: nil, count: reader.columns.count))
        DispatchQueue.concurrentPerform(iterations: reader.columns.count) { position in
            let column = reader.columns[position]
            guard let section = column.dictionary else { return }
            let result = Result { try readDictionary(section, column: column, reader: reader) }
            results.withLock { $0[position] = result }
        }
        return try results.withLock { $0 }.map { try $0?.get() }
    }

    private static func readDictionary(_ section: SectionReference, column: SnapshotReader.IndexedColumn,
                                       reader: SnapshotReader) throws -> ValueDictionary {
        let what = "the dictionary of column '\(column.name)'"
        let frame = try SnapshotReader.verified(reader.file, section, what, path: reader.path)
        func damaged(_ problem: String) -> SnapshotError { .damaged(path: reader.path, problem: "\(what) \(problem)") }
        var values: [String] = []
        do {
            let size = try Zstd.contentSize(of: frame)
            // Each value takes at least its 4-byte length: the index's count cannot be trusted further.
            values.reserveCapacity(min(column.dictionaryCount - 1, size / 4))
            var serialized = [UInt8](repeating: 0, count: size)
            try serialized.withUnsafeMutableBytes { try Zstd.decompress(frame, into: $0) }
            try serialized.withUnsafeBytes { raw in
                var entries = ByteReader(raw)
                while entries.remaining > 0 {
                    let length = Int(try entries.read(UInt32.self))
                    // Checked UTF-8 when written; the checksum vouches for the bytes.
                    values.append(String(decoding: try entries.readBytes(length), as: UTF8.self))
                }
            }
        } catch {
            throw damaged("cannot be read: \(error)")
        }
        guard values.count == column.dictionaryCount - 1 else {
            throw damaged("holds \(values.count) values, the index says \(column.dictionaryCount - 1)")
        }
        // Distinct as written: the checksum vouches that these are the bytes the writer stored.
        return ValueDictionary(distinctValues: values)
    }
}
