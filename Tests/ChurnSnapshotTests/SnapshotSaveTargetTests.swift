import Foundation
import Testing
@testable import ChurnSnapshot

/// Saves write the file a path names: through symbolic links, keeping permission bits, and never
/// over anything that is not a regular file.
@Suite struct SnapshotSaveTargetTests {
    private func permissions(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func aSaveThroughASymbolicLinkReplacesItsTarget() throws {
        let scratch = Scratch()
        try Snapshot.write(try loadCube(factHeader + factRows(0..<10), in: scratch), to: scratch.path("real.ccube"))
        try FileManager.default.createDirectory(atPath: scratch.path("links"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("links/subs.ccube"), withDestinationPath: "../real.ccube")

        try Snapshot.write(try loadCube(factHeader + factRows(0..<25), in: scratch), to: scratch.path("links/subs.ccube"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path("links/subs.ccube")) == "../real.ccube")
        #expect(try Snapshot.open(path: scratch.path("real.ccube")).store.rowCount == 25)
        #expect(scratch.fileNames == ["cube.yaml", "facts.csv", "links", "real.ccube"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("links")) == ["subs.ccube"])
    }

    @Test func aSaveKeepsThePermissionBitsOfTheFileItReplaces() throws {
        let scratch = Scratch()
        let path = scratch.path("subs.ccube")
        let cube = try loadCube(factHeader + factRows(0..<10), in: scratch)
        try Snapshot.write(cube, to: path)
        for mode in [0o600, 0o640, 0o664] {
            #expect(chmod(path, mode_t(mode)) == 0)
            try Snapshot.write(cube, to: path)
            #expect(try permissions(path) == mode)
        }
    }

    @Test func anythingButARegularFileIsRefused() throws {
        let scratch = Scratch()
        let cube = try loadCube(factHeader + factRows(0..<10), in: scratch)
        // A device of its own (/dev/full's numbers, 1:7) where this process may make one: a test
        // of the real /dev/full would replace it if the check ever broke.
        let device = scratch.path("device.ccube")
        if mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 {
            #expect(throws: SnapshotError.cannotSave(path: device, reason: "it is a character device, not a regular file")) {
                try Snapshot.write(cube, to: device)
            }
            var info = stat()
            #expect(stat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
            unlink(device)
        }

        try FileManager.default.createDirectory(atPath: scratch.path("dir.ccube"), withIntermediateDirectories: false)
        #expect(throws: SnapshotError.cannotSave(path: scratch.path("dir.ccube"), reason: "it is a directory, not a regular file")) {
            try Snapshot.write(cube, to: scratch.path("dir.ccube"))
        }
        #expect(mkfifo(scratch.path("pipe.ccube"), 0o600) == 0)
        #expect(throws: SnapshotError.cannotSave(path: scratch.path("pipe.ccube"), reason: "it is a named pipe, not a regular file")) {
            try Snapshot.write(cube, to: scratch.path("pipe.ccube"))
        }
        try FileManager.default.createSymbolicLink(atPath: scratch.path("dangling.ccube"), withDestinationPath: "gone.ccube")
        #expect(throws: SnapshotError.cannotSave(path: scratch.path("dangling.ccube"), reason: "it is a symbolic link to 'gone.ccube', which does not exist")) {
            try Snapshot.write(cube, to: scratch.path("dangling.ccube"))
        }
        #expect(scratch.fileNames == ["cube.yaml", "dangling.ccube", "dir.ccube", "facts.csv", "pipe.ccube"])
    }
}
