import ChurnStorage

/// Writes a file atomically: into a temporary file in the same directory, renamed over the
/// destination by `commit()`.
///
/// Until `commit()` succeeds the destination is untouched; a sink dropped without a commit
/// (an error, a thrown write) removes its temporary file, so a failed run leaves no half file.
/// As snapshots do, it writes the file a symbolic link points to, keeps the permission bits of
/// the file it replaces, and refuses a path that is not a regular file (`--out /dev/null`
/// must not replace the device).
package final class AtomicFileSink: ByteSink {
    package let path: String
    private let target: SaveTarget
    private let temporaryPath: String
    private var descriptor: FileDescriptor?
    private var committed = false

    package init(path: String) throws {
        self.path = path
        do {
            target = try SaveTarget(path: path)
        } catch {
            throw OutputError.refused(path: path, reason: error.reason)
        }
        temporaryPath = "\(target.directory).\(target.name).tmp-\(FileDescriptor.processID)"
        do {
            descriptor = try FileDescriptor.createExclusive(temporaryPath)
        } catch {
            throw OutputError.cannotCreate(path: path, reason: error.description)
        }
        do {
            try target.applyExistingAttributes(to: descriptor!.rawValue)
        } catch {
            try? descriptor?.close()
            descriptor = nil
            FileDescriptor.removeFile(temporaryPath)
            throw OutputError.cannotCreate(path: path, reason: error.reason)
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let descriptor else { preconditionFailure("write after commit") }
        do {
            try descriptor.writeAll(bytes)
        } catch {
            throw OutputError.writeFailed(path: path, reason: error.description)
        }
    }

    /// Closes the temporary file and renames it to `path`.
    package func commit() throws {
        guard let descriptor else { return }
        self.descriptor = nil
        do {
            try descriptor.close()
        } catch {
            FileDescriptor.removeFile(temporaryPath)
            throw OutputError.writeFailed(path: path, reason: error.description)
        }
        do {
            try FileDescriptor.rename(temporaryPath, to: target.resolvedPath)
        } catch {
            FileDescriptor.removeFile(temporaryPath)
            throw OutputError.cannotReplace(path: path, reason: error.description)
        }
        committed = true
    }

    deinit {
        if !committed {
            if let descriptor { try? descriptor.close() }
            FileDescriptor.removeFile(temporaryPath)
        }
    }
}
