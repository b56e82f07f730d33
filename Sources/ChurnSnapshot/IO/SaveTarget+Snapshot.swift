import ChurnStorage

extension SaveTarget {
    /// The file a snapshot save replaces; a path that cannot be saved to is `SnapshotError.cannotSave`.
    static func snapshot(_ path: String) throws -> SaveTarget {
        do {
            return try SaveTarget(path: path)
        } catch {
            throw SnapshotError.cannotSave(path: path, reason: error.reason)
        }
    }
}
