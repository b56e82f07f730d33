/// A string compared, ordered and hashed by its UTF-8 bytes, as CSV files, SQL and DuckDB
/// treat text.
///
/// Swift's `String` equality holds for canonically equivalent strings ("é" as one scalar, or
/// "e" and a combining accent), and its order follows their normalized form; a dimension keeps
/// such values apart, as distinct members in byte order.
package struct ByteString: Hashable, Comparable, Sendable {
    package let string: String

    package init(_ string: String) { self.string = string }

    package static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.string.utf8.count == rhs.string.utf8.count && lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    package static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }

    package func hash(into hasher: inout Hasher) {
        var bytes = string
        bytes.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
