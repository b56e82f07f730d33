/// Why a snapshot cannot be opened, saved or extended. Every message starts with the file's path.
package enum SnapshotError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case empty(path: String)
    /// Not a snapshot at all: a CSV, a cube definition, anything without the magic number.
    case notASnapshot(path: String)
    case newerVersion(path: String, version: UInt32)
    /// Truncated, or bytes that fail a checksum or make no sense: `problem` says which part.
    case damaged(path: String, problem: String)
    case cannotSave(path: String, reason: String)
    /// Another process held the snapshot's writer lock for longer than a writer waits.
    case busy(path: String, waitedSeconds: Int)
    /// A CSV appended to a snapshot of another cube.
    case incompatible(path: String, problem: String)

    package var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot open: \(reason)"
        case let .empty(path):
            return "\(path): the file is empty, not a ChurnCube snapshot"
        case let .notASnapshot(path):
            return "\(path): not a ChurnCube snapshot (it does not start with the snapshot signature)"
        case let .newerVersion(path, version):
            return "\(path): written in snapshot format version \(version), but this churncube reads up to version \(SnapshotFormat.version); upgrade churncube"
        case let .damaged(path, problem):
            return "\(path): \(problem); the file is damaged"
        case let .cannotSave(path, reason):
            return "\(path): cannot save the snapshot: \(reason)"
        case let .busy(path, waitedSeconds):
            return "\(path): another process is writing this snapshot; gave up after waiting \(waitedSeconds) s for it to finish (try again when it is done)"
        case let .incompatible(path, problem):
            return "\(path): \(problem)"
        }
    }
}
