/// What can go wrong inside the store: damaged bytes, codec failures, impossible requests.
package enum StorageError: Error, CustomStringConvertible, Equatable {
    case truncated(needed: Int, available: Int)
    case malformed(String)
    case compression(ZstdError)

    package var description: String {
        switch self {
        case let .truncated(needed, available):
            return "data ends early: needed \(needed) more bytes, found \(available)"
        case let .malformed(message):
            return message
        case let .compression(error):
            return error.description
        }
    }
}
