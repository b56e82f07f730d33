/// Why a load stopped. Each case names the file and, where there is one, the line and column.
package enum IngestError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case badInput(path: String, message: String)
    /// A row that cannot be loaded: `file:line: column 'x': problem`.
    case badRow(path: String, line: Int, column: String?, problem: String)
    /// The cube names a column the CSV header lacks.
    case missingColumn(path: String, column: String, declaredAt: String)
    case tooManyBadRows(path: String, count: Int)

    package var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot open: \(reason)"
        case let .badInput(path, message):
            return "\(path): \(message)"
        case let .badRow(path, line, column, problem):
            if let column { return "\(path):\(line): column '\(column)': \(problem)" }
            return "\(path):\(line): \(problem)"
        case let .missingColumn(path, column, declaredAt):
            return "\(path):1: the header has no column '\(column)', which the cube declares at \(declaredAt)"
        case let .tooManyBadRows(path, count):
            return "\(path): \(count) bad rows skipped; nothing was loaded"
        }
    }
}
