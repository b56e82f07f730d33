import Synchronization

/// The distinct values of a dimension; a row stores the code of its value.
///
/// Code 0 is reserved for NULL, so a NULL member groups, filters and counts like any other code
/// and no separate null bitmap is needed for dimensions. Codes are given in order of first
/// appearance; `sortRanks` orders them by value for range predicates and "last period" logic.
/// Values are told apart and ordered by their UTF-8 bytes (`ByteString`), as in the CSV.
package struct ValueDictionary: Sendable, Equatable {
    /// `values[code]`; `values[0]` is a placeholder for NULL.
    package private(set) var values: [String] = [""]
    private var codes: [ByteString: UInt32] = [:]
    /// For a dictionary read back from storage: its code map, built on the first lookup rather
    /// than up front, so opening a snapshot does not hash every account id it holds.
    private var deferredCodes: DeferredCodeMap?

    package init() {}

    package init(values: some Sequence<String>) {
        for value in values { _ = intern(value) }
    }

    /// A dictionary of values already known to be distinct (as stored from another dictionary),
    /// code 1 first; building the value-to-code map waits for the first lookup.
    package init(distinctValues: [String]) {
        values.append(contentsOf: distinctValues)
        deferredCodes = DeferredCodeMap(values: values)
    }

    /// Number of codes, NULL included.
    package var count: Int { values.count }

    /// Number of distinct non-NULL values.
    package var cardinality: Int { values.count - 1 }

    package func code(of value: String) -> UInt32? {
        if let deferredCodes { return deferredCodes.codes[ByteString(value)] }
        return codes[ByteString(value)]
    }

    /// The value of `code`, or nil for NULL.
    package func value(of code: UInt32) -> String? { code == 0 ? nil : values[Int(code)] }

    /// Returns the code of `value`, adding it when new.
    package mutating func intern(_ value: String) -> UInt32 {
        if let deferred = deferredCodes {
            codes = deferred.codes
            deferredCodes = nil
        }
        let key = ByteString(value)
        if let code = codes[key] { return code }
        let code = UInt32(values.count)
        values.append(value)
        codes[key] = code
        return code
    }

    /// `ranks[code]` is the position of the code's value in ascending order (NULL first, rank 0).
    package func sortRanks() -> [UInt32] {
        // Values often arrive in order (ids ascending in an export): then ranks are the codes.
        let ascending = values.count < 3 || (2..<values.count).allSatisfy { values[$0 - 1].utf8.lexicographicallyPrecedes(values[$0].utf8) }
        if ascending { return (0..<values.count).map { UInt32($0) } }
        let order = (1..<values.count).sorted { ByteString(values[$0]) < ByteString(values[$1]) }
        var ranks = [UInt32](repeating: 0, count: values.count)
        for (rank, code) in order.enumerated() { ranks[code] = UInt32(rank + 1) }
        return ranks
    }

    /// Bytes the values take as stored: UTF-8 plus a 4-byte length each.
    package var storedByteCount: Int { values.reduce(0) { $0 + $1.utf8.count + 4 } }

    package static func == (lhs: ValueDictionary, rhs: ValueDictionary) -> Bool {
        lhs.values.elementsEqual(rhs.values) { ByteString($0) == ByteString($1) }
    }
}

/// The value-to-code map of a dictionary, built once, by the first thread that needs it.
private final class DeferredCodeMap: Sendable {
    private let values: [String]
    private let map = Mutex<[ByteString: UInt32]?>(nil)

    init(values: [String]) { self.values = values }

    var codes: [ByteString: UInt32] {
        map.withLock { built in
            if let built { return built }
            var codes: [ByteString: UInt32] = [:]
            codes.reserveCapacity(values.count)
            for (code, value) in values.enumerated().dropFirst() { codes[ByteString(value)] = UInt32(code) }
            built = codes
            return codes
        }
    }
}
