/// Why a hot-spot search or drill path could not run, with what to change.
package enum HotspotError: Error, Equatable, CustomStringConvertible {
    case keyLength(cell: Int, found: Int, expected: Int)
    case codeOutOfRange(dimension: String, code: UInt32, cardinality: Int)
    case hierarchyParentOutOfRange(dimension: String, parent: Int)
    case hierarchyCycle(dimension: String)
    case invalidDepth(Int)
    case tooManyDimensions(Int)
    case cuboidTooLarge(dimensions: [String], cells: Int)
    case invalidOption(String)

    package var description: String {
        switch self {
        case let .keyLength(cell, found, expected):
            "cell \(cell) has \(found) codes, expected one per dimension (\(expected))"
        case let .codeOutOfRange(dimension, code, cardinality):
            "code \(code) of dimension '\(dimension)' is out of range; it has \(cardinality) labels"
        case let .hierarchyParentOutOfRange(dimension, parent):
            "hierarchy parent \(parent) of dimension '\(dimension)' is not one of the searched dimensions"
        case let .hierarchyCycle(dimension):
            "dimension '\(dimension)' is its own hierarchy ancestor"
        case let .invalidDepth(depth):
            "DEPTH \(depth) is out of range; use 1 or more"
        case let .tooManyDimensions(count):
            "\(count) dimensions are too many for one search; name at most 64 in BY"
        case let .cuboidTooLarge(dimensions, cells):
            "combining \(dimensions.joined(separator: ", ")) makes \(cells) cells; "
                + "leave out a high-cardinality dimension or lower DEPTH"
        case let .invalidOption(text):
            text
        }
    }
}
