import Dispatch
import Foundation
import Testing
@testable import ChurnSnapshot

/// Writers of one snapshot take turns; a writer that waits too long gives up naming the file.
@Suite struct SnapshotLockTests {
    @Test func aSaveWaitsForTheWriterHoldingTheLock() throws {
        let scratch = Scratch()
        let path = scratch.path("subs.ccube")
        let cube = try loadCube(factHeader + factRows(0..<10), in: scratch)
        let lock = try SnapshotLock.acquire(path: path)
        #expect(scratch.fileNames == [".subs.ccube.lock", "cube.yaml", "facts.csv"])
        let saved = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Int, Error>?
        Thread.detachNewThread {
            outcome = Result { try Snapshot.write(cube, to: path).rowCount }
            saved.signal()
        }
        #expect(saved.wait(timeout: .now() + 0.5) == .timedOut)
        #expect(!FileManager.default.fileExists(atPath: path))
        lock.release()
        #expect(saved.wait(timeout: .now() + 10) == .success)
        #expect(try outcome?.get() == 10)
        #expect(scratch.fileNames == ["cube.yaml", "facts.csv", "subs.ccube"])
    }

    @Test func aWriterGivesUpAfterItsTimeoutNamingTheFile() throws {
        let scratch = Scratch()
        let path = scratch.path("subs.ccube")
        try Snapshot.write(try loadCube(factHeader + factRows(0..<10), in: scratch), to: path)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.ccube"), withDestinationPath: "subs.ccube")
        // Held through the link: the lock belongs to the file, whatever path names it.
        let lock = try SnapshotLock.acquire(path: scratch.path("link.ccube"))
        defer { lock.release() }
        let error = #expect(throws: SnapshotError.self) { _ = try SnapshotLock.acquire(path: path, timeout: .seconds(1)) }
        #expect(error?.description == "\(path): another process is writing this snapshot; gave up after waiting 1 s for it to finish (try again when it is done)")
    }

    @Test func aLockLeftByAKilledWriterIsTakenAndRemoved() throws {
        let scratch = Scratch()
        let path = scratch.path("subs.ccube")
        scratch.write(".subs.ccube.lock", [])
        try Snapshot.write(try loadCube(factHeader + factRows(0..<10), in: scratch), to: path)
        #expect(scratch.fileNames == ["cube.yaml", "facts.csv", "subs.ccube"])
    }
}
