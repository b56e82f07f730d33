import ChurnModel
import ChurnQuery
import ChurnStorage
import Foundation
import Testing
@testable import ChurnSnapshot

/// Opens the snapshot and decodes every column; returns the error, or nil when all of it read.
private func readFully(_ path: String) -> Error? {
    do {
        _ = try allValues(try Snapshot.open(path: path))
        return nil
    } catch {
        return error
    }
}

@Suite struct SnapshotDamageTests {
    private func smallSnapshot(_ scratch: Scratch) throws -> [UInt8] {
        let cube = try loadCube(factHeader + factRows(0..<150), in: scratch)
        try Snapshot.write(cube, to: scratch.path("subs.ccube"))
        return scratch.read("subs.ccube")
    }

    @Test func everyFlippedByteIsCaught() throws {
        let scratch = Scratch()
        let original = try smallSnapshot(scratch)
        #expect(original.count > 1_000)
        var uncaught: [Int] = []
        var messages: Set<String> = []
        for offset in original.indices {
            var damaged = original
            damaged[offset] ^= UInt8(1) << UInt8(offset % 8)
            let path = scratch.write("flipped.ccube", damaged)
            guard let error = readFully(path) else { uncaught.append(offset); continue }
            let message = "\(error)"
            #expect(message.hasPrefix(path + ": "), "\(message)")
            messages.insert(String(message.dropFirst(path.count + 2)).replacing(/[0-9]+/, with: "N"))
        }
        #expect(uncaught.isEmpty)
        #expect(messages.contains("chunk N of column 'mrr_start' fails its checksum; the file is damaged"))
        #expect(messages.contains("the index fails its checksum; the file is damaged"))
        #expect(messages.contains("the header fails its checksum; the file is damaged"))
        #expect(messages.contains("the footer fails its checksum; the file is damaged"))
        #expect(messages.contains("the cube definition fails its checksum; the file is damaged"))
        #expect(messages.contains("the dictionary of column 'account_id' fails its checksum; the file is damaged"))
    }

    /// A file whose checksums hold but whose codes leave the dictionary, as a faulty writer could
    /// leave it (found by fuzzing the reader): reading it is an error naming the column, not a crash.
    @Test func codesOutsideTheDictionaryAreRefusedWhenRead() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<150), in: scratch)
        let region = cube.store.columns.firstIndex { $0.name == "region" }!
        var columns = cube.store.columns
        let rowCount = columns[region].chunks[0].rowCount
        // Codes up to 9 in a dictionary of four codes, with statistics that claim 1...2.
        let codes = (0..<rowCount).map { Int64($0 % 10) }
        var chunk = try codes.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .dimension) }
        chunk.statistics = ChunkStatistics(rowCount: rowCount, nullCount: rowCount / 10, integerRange: 1...2)
        columns[region] = StoredColumn(name: "region", type: .dimension, dictionary: columns[region].dictionary,
                                       chunks: [chunk] + columns[region].chunks.dropFirst())
        let path = scratch.path("faulty.ccube")
        try Snapshot.write(Cube(definition: cube.definition, store: try ColumnStore(columns: columns)), to: path)

        let opened = try Snapshot.open(path: path)
        #expect(throws: StorageError.malformed("column 'region': code 4 outside the column's dictionary of 4 codes")) {
            try opened.store.column(named: "region")!.decodeAllValues()
        }
        let engine = try QueryEngine(cube: opened)
        for query in ["SELECT region, COUNT(*) FROM small GROUP BY region", "SELECT account_id FROM small WHERE region = 'amer'",
                      "SELECT region FROM small LIMIT 5"] {
            let error = #expect(throws: (any Error).self) { try engine.execute(query) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("column 'region', row group 1: codes outside the column's dictionary; the file is damaged"),
                    "\(query)")
        }
    }

    /// A row count past the largest integer, with every checksum recomputed (found by fuzzing
    /// the reader): refused at open, not a trap.
    @Test func anImpossibleRowCountIsRefused() throws {
        let scratch = Scratch()
        var bytes = try smallSnapshot(scratch)
        let footer = bytes.count - 48
        func read(_ offset: Int) -> Int { Int(bytes[offset..<offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
        func write(_ offset: Int, _ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + 8, with: $0) } }
        let (indexOffset, indexLength) = (read(footer), read(footer + 8))
        write(indexOffset, .max)
        write(footer + 16, XXH64.hash(Array(bytes[indexOffset..<indexOffset + indexLength])))
        write(footer + 32, XXH64.hash(Array(bytes[footer..<footer + 32])))
        let path = scratch.write("rows.ccube", bytes)
        let expected = SnapshotError.damaged(path: path, problem: "the index records an impossible row count")
        #expect(throws: expected) { try Snapshot.open(path: path) }
        #expect(throws: expected) { try Snapshot.info(path: path) }
    }

    /// A dictionary count of four billion, with every checksum recomputed (found by fuzzing the
    /// reader): refused for the values the dictionary holds, without reserving room for the count.
    @Test func anImpossibleDictionaryCountIsRefused() throws {
        let scratch = Scratch()
        var bytes = try smallSnapshot(scratch)
        let footer = bytes.count - 48
        func read(_ offset: Int, _ size: Int) -> Int { Int(bytes[offset..<offset + size].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
        func write(_ offset: Int, _ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + 8, with: $0) } }
        let (indexOffset, indexLength) = (read(footer, 8), read(footer + 8, 8))
        // Row count, column count, definition section; then the first column, account_id: its
        // name, type and scale, its dictionary section, and the code count.
        let name = indexOffset + 8 + 4 + 24
        let codeCount = name + 4 + read(name, 4) + 2 + 24
        #expect(read(codeCount, 4) == 51)
        bytes.replaceSubrange(codeCount..<codeCount + 4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        write(footer + 16, XXH64.hash(Array(bytes[indexOffset..<indexOffset + indexLength])))
        write(footer + 32, XXH64.hash(Array(bytes[footer..<footer + 32])))
        let path = scratch.write("codes.ccube", bytes)
        #expect(throws: SnapshotError.damaged(path: path, problem: "the dictionary of column 'account_id' holds 50 values, the index says 4294967294")) {
            try Snapshot.open(path: path)
        }
    }

    @Test func everyTruncationIsCaughtAtOpen() throws {
        let scratch = Scratch()
        let original = try smallSnapshot(scratch)
        for length in 0..<original.count {
            let path = scratch.write("short.ccube", Array(original.prefix(length)))
            #expect(throws: SnapshotError.self) { _ = try Snapshot.open(path: path) }
            #expect(throws: SnapshotError.self) { _ = try Snapshot.info(path: path) }
        }
        let path = scratch.write("long.ccube", original + [0])
        #expect(throws: SnapshotError.damaged(path: path, problem: "the file is truncated: it does not end with the snapshot footer (\(original.count + 1) bytes)")) {
            _ = try Snapshot.open(path: path)
        }
    }

    @Test func aChunkFailsWhenReadAndNamesItself() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<150), in: scratch)
        try Snapshot.write(cube, to: scratch.path("subs.ccube"))
        let layout = try SnapshotReader(path: scratch.path("subs.ccube"))
        let column = layout.columns.firstIndex { $0.name == "score" }!
        let body = layout.columns[column].chunks[1].body
        var bytes = scratch.read("subs.ccube")
        bytes[body.offset + body.length / 2] ^= 0x40
        let path = scratch.write("subs.ccube", bytes)

        let opened = try Snapshot.open(path: path)
        #expect(try opened.store.column(named: "region")!.decodeAllValues().count == 150)
        let expected = StorageError.checksumMismatch(file: path, part: "chunk 1 of column 'score'")
        #expect(throws: expected) { _ = try opened.store.column(named: "score")!.decodeAllValues() }
        // The failure is remembered, not re-judged.
        #expect(throws: expected) { _ = try opened.store.column(named: "score")!.decodeAllValues() }
        #expect("\(expected)" == "\(path): chunk 1 of column 'score' fails its checksum; the file is damaged")
    }

    @Test func otherFilesAreRefusedClearly() throws {
        let scratch = Scratch()
        let csv = scratch.write("facts.csv", factHeader + factRows(0..<10))
        #expect(throws: SnapshotError.notASnapshot(path: csv)) { _ = try Snapshot.open(path: csv) }
        #expect("\(SnapshotError.notASnapshot(path: csv))".hasPrefix("\(csv): not a ChurnCube snapshot"))
        let empty = scratch.write("empty.ccube", [])
        #expect(throws: SnapshotError.empty(path: empty)) { _ = try Snapshot.open(path: empty) }
        let missing = scratch.path("missing.ccube")
        #expect(throws: SnapshotError.cannotOpen(path: missing, reason: "No such file or directory")) { _ = try Snapshot.open(path: missing) }
        #expect(throws: SnapshotError.cannotOpen(path: scratch.directory, reason: "it is a directory")) {
            _ = try Snapshot.open(path: scratch.directory)
        }
    }

    @Test func aNewerVersionIsRefused() throws {
        let scratch = Scratch()
        var bytes = try smallSnapshot(scratch)
        bytes[8] = 2
        let checksum = XXH64.hash(Array(bytes[0..<24]))
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange(24..<32, with: $0) }
        let path = scratch.write("future.ccube", bytes)
        #expect(throws: SnapshotError.newerVersion(path: path, version: 2)) { _ = try Snapshot.open(path: path) }
        #expect("\(SnapshotError.newerVersion(path: path, version: 2))"
            == "\(path): written in snapshot format version 2, but this churncube reads up to version 1; upgrade churncube")
    }
}

@Suite struct SnapshotSaveFailureTests {
    @Test func aFailedSaveKeepsThePreviousSnapshotAndLeavesNoFile() throws {
        let scratch = Scratch()
        let path = scratch.path("subs.ccube")
        try Snapshot.write(try loadCube(factHeader + factRows(0..<150), in: scratch, name: "a.csv"), to: path)
        // Damage one chunk of the snapshot being extended: the rewrite verifies it and stops midway.
        let layout = try SnapshotReader(path: path)
        let body = layout.columns.last!.chunks.last!.body
        var bytes = scratch.read("subs.ccube")
        bytes[body.offset] ^= 1
        scratch.write("subs.ccube", bytes)

        let base = try Snapshot.open(path: path)
        let addition = try loadCube(factHeader + factRows(150..<200), in: scratch, name: "b.csv", continuing: base)
        let combined = try Snapshot.appending(addition, to: base, path: path)
        #expect(throws: SnapshotError.cannotSave(path: path, reason: "\(path): chunk 2 of column 'score' fails its checksum; the file is damaged")) {
            try Snapshot.write(combined, to: path)
        }
        #expect(scratch.read("subs.ccube") == bytes)
        #expect(scratch.fileNames == ["a.csv", "b.csv", "cube.yaml", "subs.ccube"])
    }

    @Test func anUnwritableDestinationFailsCleanly() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<10), in: scratch)
        let path = scratch.path("no-such-directory/subs.ccube")
        #expect(throws: SnapshotError.cannotSave(path: path, reason: "its directory '\(scratch.directory)/no-such-directory': No such file or directory")) {
            try Snapshot.write(cube, to: path)
        }
        #expect(throws: SnapshotError.self) { try Snapshot.write(cube, to: scratch.directory + "/") }
        #expect(scratch.fileNames == ["cube.yaml", "facts.csv"])
    }

    @Test func aTemporaryFileOfAKilledSaveIsRemovedByTheNext() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<10), in: scratch)
        // pid 2^22 + 1 is above Linux's pid_max, so no process owns it.
        scratch.write(".subs.ccube.tmp-4194305-1", [1, 2, 3])
        try Snapshot.write(cube, to: scratch.path("subs.ccube"))
        #expect(scratch.fileNames == ["cube.yaml", "facts.csv", "subs.ccube"])
    }

    @Test func openingASnapshotRemovesTemporariesOfDeadProcessesOnly() throws {
        let scratch = Scratch()
        let path = scratch.path("subs.ccube")
        try Snapshot.write(try loadCube(factHeader + factRows(0..<10), in: scratch), to: path)
        // pid 2^22 + 1 is above Linux's pid_max; pid 1 always runs; the test's own pid is a live writer too.
        scratch.write(".subs.ccube.tmp-4194305-1", [1, 2, 3])
        scratch.write(".subs.ccube.tmp-1-1", [1, 2, 3])
        scratch.write(".subs.ccube.tmp-\(getpid())-99", [1, 2, 3])
        scratch.write(".other.ccube.tmp-4194305-1", [1, 2, 3])
        // Not while a writer holds the lock: it may be the one writing.
        let lock = try SnapshotLock.acquire(path: path)
        _ = try Snapshot.open(path: path)
        #expect(scratch.fileNames.contains(".subs.ccube.tmp-4194305-1"))
        lock.release()

        #expect(try Snapshot.open(path: path).store.rowCount == 10)
        #expect(scratch.fileNames == [".other.ccube.tmp-4194305-1", ".subs.ccube.tmp-1-1", ".subs.ccube.tmp-\(getpid())-99",
                                      "cube.yaml", "facts.csv", "subs.ccube"])
    }
}
