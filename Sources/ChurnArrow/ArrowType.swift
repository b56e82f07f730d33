/// The Arrow logical types the reader decodes.
///
/// Anything else in a schema (time, timestamp, binary, nested, dictionary-encoded ...) is refused
/// with an `ArrowError` that names the column and its type.
package enum ArrowType: Equatable, Sendable, CustomStringConvertible {
    case null
    case boolean
    /// 8, 16, 32 or 64 bits.
    case integer(bitWidth: Int, signed: Bool)
    /// 16, 32 or 64 bits.
    case floatingPoint(bitWidth: Int)
    /// 128-bit decimals only.
    case decimal(precision: Int, scale: Int)
    case utf8
    /// Utf8 with 64-bit offsets.
    case largeUtf8
    /// Days since 1970-01-01.
    case date32
    /// Milliseconds since 1970-01-01.
    case date64

    package var description: String {
        switch self {
        case .null: "null"
        case .boolean: "bool"
        case .integer(let bitWidth, let signed): "\(signed ? "int" : "uint")\(bitWidth)"
        case .floatingPoint(let bitWidth): "float\(bitWidth)"
        case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
        case .utf8: "utf8"
        case .largeUtf8: "large_utf8"
        case .date32: "date32"
        case .date64: "date64"
        }
    }
}
