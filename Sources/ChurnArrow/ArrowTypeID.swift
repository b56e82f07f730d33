/// The numbering of Schema.fbs's `Type` union, as written in a Field's `type_type` byte.
enum ArrowTypeID: UInt8 {
    case none = 0
    case null = 1
    case int = 2
    case floatingPoint = 3
    case binary = 4
    case utf8 = 5
    case bool = 6
    case decimal = 7
    case date = 8
    case time = 9
    case timestamp = 10
    case interval = 11
    case list = 12
    case structType = 13
    case union = 14
    case fixedSizeBinary = 15
    case fixedSizeList = 16
    case map = 17
    case duration = 18
    case largeBinary = 19
    case largeUtf8 = 20
    case largeList = 21
    case runEndEncoded = 22
    case binaryView = 23
    case utf8View = 24
    case listView = 25
    case largeListView = 26

    /// The name an error message uses for the type.
    var name: String {
        switch self {
        case .none: "none"
        case .null: "null"
        case .int: "int"
        case .floatingPoint: "floating point"
        case .binary: "binary"
        case .utf8: "utf8"
        case .bool: "bool"
        case .decimal: "decimal"
        case .date: "date"
        case .time: "time"
        case .timestamp: "timestamp"
        case .interval: "interval"
        case .list: "list"
        case .structType: "struct"
        case .union: "union"
        case .fixedSizeBinary: "fixed_size_binary"
        case .fixedSizeList: "fixed_size_list"
        case .map: "map"
        case .duration: "duration"
        case .largeBinary: "large_binary"
        case .largeUtf8: "large_utf8"
        case .largeList: "large_list"
        case .runEndEncoded: "run_end_encoded"
        case .binaryView: "binary_view"
        case .utf8View: "utf8_view"
        case .listView: "list_view"
        case .largeListView: "large_list_view"
        }
    }
}
