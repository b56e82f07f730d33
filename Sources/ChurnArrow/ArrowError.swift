/// Why a blob could not be decoded as an Arrow IPC stream, and where.
///
/// The description names the message (0 is the schema), the absolute byte offset in the blob,
/// the column when one is involved, and the problem.
package struct ArrowError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Lets callers tell damaged input from valid input the reader cannot handle.
    package enum Kind: Equatable, Sendable {
        /// The blob ends before a structure it announces.
        case truncated
        /// A structure is inconsistent: offsets out of range, counts that disagree, invalid UTF-8.
        case malformed
        /// Valid Arrow the reader does not decode: a type, compression, dictionary batches, big-endian.
        case unsupported
    }

    package var kind: Kind
    package var problem: String
    package var messageIndex: Int?
    package var byteOffset: Int
    package var column: String?
    /// Whether `problem` already reads "column 'x' ...", so the place need not repeat it.
    private var problemNamesColumn: Bool

    init(_ kind: Kind, _ problem: String, at byteOffset: Int) {
        self.kind = kind
        self.problem = problem
        self.byteOffset = byteOffset
        self.problemNamesColumn = false
    }

    /// An error about one column, phrased as "column 'name' <predicate>".
    static func column(_ name: String, _ kind: Kind, _ predicate: String, at byteOffset: Int) -> ArrowError {
        var error = ArrowError(kind, "column '\(name)' \(predicate)", at: byteOffset)
        error.column = name
        error.problemNamesColumn = true
        return error
    }

    /// Adds the message index unless an inner layer already set it.
    func inMessage(_ index: Int) -> ArrowError {
        var error = self
        if error.messageIndex == nil { error.messageIndex = index }
        return error
    }

    /// Adds the column unless the error already names one.
    func inColumn(_ name: String) -> ArrowError {
        var error = self
        if error.column == nil { error.column = name }
        return error
    }

    package var description: String {
        var place = "Arrow stream"
        if let messageIndex { place += " message \(messageIndex)" }
        place += " at byte \(byteOffset)"
        if let column, !problemNamesColumn { place += ", column '\(column)'" }
        return place + ": " + problem
    }
}
