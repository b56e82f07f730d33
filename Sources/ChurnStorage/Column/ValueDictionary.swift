/// The distinct values of a dimension; a row stores the code of its value.
///
/// Code 0 is reserved for NULL, so a NULL member groups, filters and counts like any other code
/// and no separate null bitmap is needed for dimensions. Codes are given in order of first
/// appearance; `sortRanks` orders them by value for range predicates and "last period" logic.
package struct ValueDictionary: Sendable, Equatable {
    /// `values[code]`; `values[0]` is a placeholder for NULL.
    package private(set) var values: [String] = [""]
    private var codes: [String: UInt32] = [:]

    package init() {}

    package init(values: some Sequence<String>) {
        for value in values { _ = intern(value) }
    }

    /// Number of codes, NULL included.
    package var count: Int { values.count }

    /// Number of distinct non-NULL values.
    package var cardinality: Int { values.count - 1 }

    package func code(of value: String) -> UInt32? { codes[value] }

    /// The value of `code`, or nil for NULL.
    package func value(of code: UInt32) -> String? { code == 0 ? nil : values[Int(code)] }

    /// Returns the code of `value`, adding it when new.
    package mutating func intern(_ value: String) -> UInt32 {
        if let code = codes[value] { return code }
        let code = UInt32(values.count)
        values.append(value)
        codes[value] = code
        return code
    }

    /// `ranks[code]` is the position of the code's value in ascending order (NULL first, rank 0).
    package func sortRanks() -> [UInt32] {
        let order = (1..<values.count).sorted { values[$0] < values[$1] }
        var ranks = [UInt32](repeating: 0, count: values.count)
        for (rank, code) in order.enumerated() { ranks[code] = UInt32(rank + 1) }
        return ranks
    }

    /// Bytes the values take as stored: UTF-8 plus a 4-byte length each.
    package var storedByteCount: Int { values.reduce(0) { $0 + $1.utf8.count + 4 } }

    package static func == (lhs: ValueDictionary, rhs: ValueDictionary) -> Bool { lhs.values == rhs.values }
}
