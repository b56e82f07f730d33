import ChurnIngest
import ChurnModel
import ChurnStorage
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChurnSnapshot

@Suite struct SnapshotRoundTripTests {
    @Test func openGivesBackEveryValueDictionaryAndStatistic() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<300), in: scratch)
        let path = scratch.path("subs.ccube")
        let report = try Snapshot.write(cube, to: path)
        #expect(report.rowCount == 300)
        #expect(report.chunkCount == 5 * 7)
        #expect(report.byteCount == scratch.read("subs.ccube").count)

        let opened = try Snapshot.open(path: path)
        #expect(opened.name == "small")
        #expect(opened.definition.yamlText == cube.definition.yamlText)
        #expect(opened.store.rowGroupSizes == [64, 64, 64, 64, 44])
        #expect(opened.store.columns.map(\.name) == cube.store.columns.map(\.name))
        #expect(opened.store.columns.map(\.type) == cube.store.columns.map(\.type))
        #expect(opened.store.columns.map(\.dictionary) == cube.store.columns.map(\.dictionary))
        for (original, reopened) in zip(cube.store.columns, opened.store.columns) {
            #expect(reopened.chunks.map(\.statistics) == original.chunks.map(\.statistics))
            #expect(reopened.chunks.map(\.encoding) == original.chunks.map(\.encoding))
            #expect(reopened.chunks.allSatisfy { $0.body.isMapped })
        }
        #expect(opened.store.columns.contains { column in column.chunks.contains { $0.isCompressed } })
        #expect(try allValues(opened) == (try allValues(cube)))
        #expect(try opened.store.column(named: "region")!.decodeAllValues()[5] == nil)
        #expect(try opened.store.column(named: "mrr_start")!.decodeAllValues()[1] == .integer(250_000_050))
    }

    @Test func chunksDecodeConcurrentlyAfterOpen() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<500), in: scratch)
        let path = scratch.path("subs.ccube")
        try Snapshot.write(cube, to: path)
        let opened = try Snapshot.open(path: path)
        let expected = try allValues(cube)
        let columns = opened.store.columns
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: columns.count * 4) { task in
            let column = columns[task % columns.count]
            let values = try? column.decodeAllValues()
            if values != expected[column.name] { mismatches.withLock { $0 += 1 } }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }

    @Test func infoReadsTheMetadata() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<300), in: scratch)
        let path = scratch.path("subs.ccube")
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        try Snapshot.write(cube, to: path)
        let info = try Snapshot.info(path: path)
        #expect(info.formatVersion == 1)
        #expect(info.cubeName == "small")
        #expect(info.rowCount == 300)
        #expect(info.rowGroupCount == 5)
        #expect(info.fileByteCount == scratch.read("subs.ccube").count)
        #expect(info.columns.map(\.name) == ["account_id", "period", "region", "mrr_start", "churned", "nps", "score"])
        #expect(info.columns.map(\.cardinality) == [100, 12, 3, nil, nil, nil, nil])
        let bodies = cube.store.columns.map { $0.chunks.reduce(0) { $0 + $1.body.count } }
        #expect(info.dataByteCount == bodies.reduce(0, +))
        #expect(info.columns[3].compressedByteCount == bodies[3])
        #expect(abs(info.createdMilliseconds - before) < 60_000)
    }

    @Test func sniffsTheMagicNumber() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<10), in: scratch)
        try Snapshot.write(cube, to: scratch.path("subs.ccube"))
        #expect(Snapshot.isSnapshot(path: scratch.path("subs.ccube")))
        #expect(!Snapshot.isSnapshot(path: scratch.path("facts.csv")))
        #expect(!Snapshot.isSnapshot(path: scratch.path("missing.ccube")))
        #expect(!Snapshot.isSnapshot(path: scratch.write("empty.ccube", [])))
    }

    @Test func inferredCubeRoundTrips() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<100), in: scratch, cube: nil)
        #expect(cube.definition.description.hasPrefix("inferred from"))
        let path = scratch.path("inferred.ccube")
        try Snapshot.write(cube, to: path)
        let opened = try Snapshot.open(path: path)
        #expect(opened.definition.facts == cube.definition.facts)
        #expect(opened.definition.dimensions == cube.definition.dimensions)
        #expect(opened.definition.measures.map(\.formula) == ["COUNT(*)"])
        #expect(try allValues(opened) == (try allValues(cube)))
    }

    @Test func snapshotsOfSnapshotsAreByteIdenticalButForTheTime() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<200), in: scratch)
        _ = try SnapshotWriter.write(cube, to: SaveTarget.snapshot(scratch.path("one.ccube")), createdMilliseconds: 7)
        let opened = try Snapshot.open(path: scratch.path("one.ccube"))
        _ = try SnapshotWriter.write(opened, to: SaveTarget.snapshot(scratch.path("two.ccube")), createdMilliseconds: 7)
        #expect(scratch.read("one.ccube") == scratch.read("two.ccube"))
    }
}

@Suite struct SnapshotAppendTests {
    @Test func appendEqualsAFreshIngestOfAllRows() throws {
        let scratch = Scratch()
        // The second part brings new accounts, periods stay, and a new region appears.
        let first = factHeader + factRows(0..<150)
        let second = factHeader + factRows(150..<260, regions: ["latam", "amer"])
        let path = scratch.path("subs.ccube")
        try Snapshot.write(try loadCube(first, in: scratch, name: "a.csv"), to: path)
        let base = try Snapshot.open(path: path)
        let addition = try loadCube(second, in: scratch, name: "b.csv", continuing: base)
        try Snapshot.write(try Snapshot.appending(addition, to: base, path: path), to: path)

        let appended = try Snapshot.open(path: path)
        let fresh = try loadCube(factHeader + factRows(0..<150) + factRows(150..<260, regions: ["latam", "amer"]), in: scratch, name: "all.csv")
        #expect(appended.store.rowCount == 260)
        #expect(appended.store.rowGroupSizes == [64, 64, 22, 64, 46])
        #expect(try allValues(appended) == (try allValues(fresh)))
        #expect(appended.store.columns.map(\.dictionary) == fresh.store.columns.map(\.dictionary))
        #expect(appended.store.column(named: "region")!.dictionary.values == ["", "amer", "emea", "apac", "latam"])
    }

    @Test func appendSortsTheNewRowsByTheSnapshotsKey() throws {
        let scratch = Scratch()
        let sortedCube = smallCube.replacingOccurrences(of: "facts:", with: "sort: [account_id, period]\nfacts:")
        let path = scratch.path("subs.ccube")
        try Snapshot.write(try loadCube(factHeader + factRows(0..<90), in: scratch, name: "a.csv", cube: sortedCube), to: path)
        let base = try Snapshot.open(path: path)
        #expect(base.definition.sortKey == .columns(["account_id", "period"]))
        // A month-by-month export: the rows of the new accounts arrive interleaved.
        let lines = factRows(90..<150).split(separator: "\n").map(String.init)
        let byMonth = lines.sorted { ($0.split(separator: ",")[1], $0) < ($1.split(separator: ",")[1], $1) }
        let addition = try loadCube(factHeader + byMonth.joined(separator: "\n") + "\n", in: scratch, name: "b.csv", continuing: base)
        try Snapshot.write(try Snapshot.appending(addition, to: base, path: path), to: path)

        let appended = try Snapshot.open(path: path)
        #expect(appended.store.rowCount == 150)
        let accounts = try appended.store.column(named: "account_id")!.decodeAllValues()
        let periods = try appended.store.column(named: "period")!.decodeAllValues()
        // The new rows are grouped account by account, months ascending within each.
        let newRows = Array(zip(accounts, periods))[90...].map { ("\($0.0!)", "\($0.1!)") }
        var seen: [String] = []
        for (index, row) in newRows.enumerated() {
            if index == 0 || row.0 != newRows[newRows.startIndex + index - 1].0 {
                #expect(!seen.contains(row.0))
                seen.append(row.0)
            } else {
                #expect(row.1 > newRows[newRows.startIndex + index - 1].1)
            }
        }
        #expect(seen.count == 20)
    }

    @Test func appendCopiesOldChunkBodiesVerbatim() throws {
        let scratch = Scratch()
        let path = scratch.path("subs.ccube")
        let original = try loadCube(factHeader + factRows(0..<150), in: scratch, name: "a.csv")
        try Snapshot.write(original, to: path)
        let base = try Snapshot.open(path: path)
        let addition = try loadCube(factHeader + factRows(150..<200), in: scratch, name: "b.csv", continuing: base)
        try Snapshot.write(try Snapshot.appending(addition, to: base, path: path), to: path)
        let appended = try Snapshot.open(path: path)
        for (old, new) in zip(original.store.columns, appended.store.columns) {
            for (oldChunk, newChunk) in zip(old.chunks, new.chunks) {
                let oldBytes = try oldChunk.body.withUnsafeBytes { Array($0) }
                let newBytes = try newChunk.body.withUnsafeBytes { Array($0) }
                #expect(oldBytes == newBytes)
            }
        }
    }

    @Test func appendRefusesAnotherCubesRows() throws {
        let scratch = Scratch()
        let path = scratch.path("subs.ccube")
        try Snapshot.write(try loadCube(factHeader + factRows(0..<20), in: scratch), to: path)
        let base = try Snapshot.open(path: path)
        #expect(throws: IngestError.self) {
            _ = try loadCube("account_id,period\nA1,2025-01\n", in: scratch, name: "other.csv", continuing: base)
        }
    }
}

@Suite struct SnapshotDictionaryTests {
    @Test func openedDictionariesLookUpAndExtendLikeBuiltOnes() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<100), in: scratch)
        try Snapshot.write(cube, to: scratch.path("subs.ccube"))
        var regions = try Snapshot.open(path: scratch.path("subs.ccube")).store.column(named: "region")!.dictionary
        #expect(regions.code(of: "emea") == cube.store.column(named: "region")!.dictionary.code(of: "emea"))
        #expect(regions.code(of: "latam") == nil)
        #expect(regions.intern("apac") == 3)
        #expect(regions.intern("latam") == 4)
        #expect(regions.code(of: "latam") == 4)
        #expect(regions.values == ["", "amer", "emea", "apac", "latam"])
    }
}
