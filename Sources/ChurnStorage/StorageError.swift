/// What can go wrong inside the store: damaged bytes, codec failures, impossible requests.
package enum StorageError: Error, CustomStringConvertible, Equatable {
    case truncated(needed: Int, available: Int)
    case malformed(String)
    case compression(ZstdError)
    /// Stored bytes that do not match their recorded checksum: `part` names them within `file`.
    case checksumMismatch(file: String, part: String)
    /// A file that cannot be opened or mapped.
    case cannotRead(path: String, reason: String)

    package var description: String {
        switch self {
        case let .truncated(needed, available):
            return "data ends early: needed \(needed) more bytes, found \(available)"
        case let .malformed(message):
            return message
        case let .compression(error):
            return error.description
        case let .checksumMismatch(file, part):
            return "\(file): \(part) fails its checksum; the file is damaged"
        case let .cannotRead(path, reason):
            return "\(path): cannot read: \(reason)"
        }
    }
}
