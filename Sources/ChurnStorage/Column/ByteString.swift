import Glibc

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
        guard lhs.string.utf8.count == rhs.string.utf8.count else { return false }
        return compareBytes(lhs.string, rhs.string) == 0
    }

    package static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        compareBytes(lhs.string, rhs.string) < 0
    }

    /// The sign of the bytewise comparison of `a` and `b`, a shorter prefix first; memcmp on the
    /// strings' contiguous UTF-8 (native strings are contiguous, so nothing is copied).
    package static func compareBytes(_ a: String, _ b: String) -> Int {
        var (a, b) = (a, b)
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0, let xBase = x.baseAddress, let yBase = y.baseAddress {
                    let order = memcmp(xBase, yBase, common)
                    if order != 0 { return order < 0 ? -1 : 1 }
                }
                return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
            }
        }
    }

    package func hash(into hasher: inout Hasher) {
        var bytes = string
        bytes.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
