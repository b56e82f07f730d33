/// A failure to write the generated facts, naming the file and the system's reason.
package enum OutputError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    case cannotReplace(path: String, reason: String)
    /// The path names something a generated file must not replace (a device, a directory).
    case refused(path: String, reason: String)

    package var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            "cannot create '\(path)': \(reason) (does the directory exist and is it writable?)"
        case .writeFailed(let path, let reason):
            "cannot write '\(path)': \(reason)"
        case .cannotReplace(let path, let reason):
            "cannot move the finished file to '\(path)': \(reason)"
        case .refused(let path, let reason):
            "cannot write to '\(path)': \(reason)"
        }
    }
}
