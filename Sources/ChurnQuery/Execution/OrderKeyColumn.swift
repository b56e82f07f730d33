#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One ORDER BY item's values over all rows, in the narrowest form that orders them as
/// `OutputEvaluator.compare` does: integers (or decimals of one scale) as their units, other
/// numbers as doubles' bit patterns made to order as the doubles do, texts as their bytes.
/// Sorting then compares machine words instead of enum values; an item whose values fit none of
/// these (a text beside numbers) is left to the generic comparison (nil from `init`).
struct OrderKeyColumn {
    private enum Values {
        /// Integers that order as the values do: exact units (integers, decimals of one scale),
        /// booleans as 0 and 1, or doubles' order-preserving bit patterns.
        case words([Int64])
        /// Texts by their bytes, as dimension members order: row i is bytes[starts[i]..<starts[i + 1]].
        case texts(bytes: [UInt8], starts: [Int])
    }

    private let values: Values
    /// NULL (or a subtotal) at each row; nil when no row is.
    private let nulls: [Bool]?

    init?(_ column: [ResultValue]) {
        var nulls: [Bool]? = nil
        var kind: (text: Bool, boolean: Bool, integer: Bool, scale: Int?, double: Bool) = (false, false, false, nil, false)
        for (row, value) in column.enumerated() {
            switch value {
            case .null, .subtotal:
                if nulls == nil { nulls = [Bool](repeating: false, count: column.count) }
                nulls![row] = true
            case .text: kind.text = true
            case .boolean: kind.boolean = true
            case .integer: kind.integer = true
            case let .decimal(_, scale):
                if let known = kind.scale, known != scale { kind.double = true }
                kind.scale = scale
            case .double: kind.double = true
            }
        }
        self.nulls = nulls
        let numeric = kind.integer || kind.scale != nil || kind.double
        if kind.text {
            guard !numeric && !kind.boolean else { return nil }
            let (bytes, starts) = Self.textBytes(column)
            values = .texts(bytes: bytes, starts: starts)
        } else if kind.boolean {
            guard !numeric else { return nil }
            values = .words(column.map { if case .boolean(true) = $0 { return 1 } else { return 0 } })
        } else if kind.double || (kind.integer && kind.scale != nil) {
            // Mixed kinds compare as doubles, as the generic comparison does.
            values = .words(column.map { Self.orderedBits($0.doubleValue ?? 0) })
        } else {
            values = .words(column.map { $0.exactUnits?.units ?? 0 })
        }
    }

    /// A double's bits as an integer that orders as the double does: a positive double's bits
    /// ascend with it, a negative one's are flipped below zero. -0 is 0 (they compare equal) and
    /// NaN is +infinity.
    private static func orderedBits(_ value: Double) -> Int64 {
        let normalized = value.isNaN ? Double.infinity : (value == 0 ? 0 : value)
        let bits = Int64(bitPattern: normalized.bitPattern)
        return bits < 0 ? bits ^ Int64.max : bits
    }

    /// Every row's UTF-8 bytes end to end (NULLs empty), compared with memcmp only when the
    /// items before tie: no String is touched while sorting.
    private static func textBytes(_ column: [ResultValue]) -> (bytes: [UInt8], starts: [Int]) {
        var bytes: [UInt8] = []
        var starts = [0]
        starts.reserveCapacity(column.count + 1)
        for value in column {
            if case var .text(text) = value { text.withUTF8 { bytes.append(contentsOf: $0) } }
            starts.append(bytes.count)
        }
        return (bytes, starts)
    }

    /// The rows' order by `columns` (item after item as `order` gives them), ties in row order.
    /// The comparisons read raw pointers: no array is retained per comparison.
    static func permutation(_ columns: [OrderKeyColumn], _ order: [BoundOrder], count: Int) -> [Int] {
        // A leading item of words without NULLs rides inside the sorted elements (negated bitwise
        // when descending, which reverses the order of every Int64): most comparisons end there,
        // without reaching into the columns.
        var leading: [Int64]? = nil
        if let first = columns.first, first.nulls == nil, case let .words(words) = first.values {
            leading = order[0].descending ? words.map { ~$0 } : words
        }
        var cursors: [Cursor] = []
        var permutation = Array(0..<count)
        func withCursors(_ index: Int) {
            guard index < columns.count else {
                cursors.withUnsafeBufferPointer { cursors in
                    if let leading {
                        let rest = UnsafeBufferPointer(rebasing: cursors.dropFirst())
                        // Rows whose leading words tie: by the items after them, then in row order.
                        func restPrecedes(_ a: Int, _ b: Int) -> Bool {
                            for cursor in rest {
                                let comparison = cursor.compare(a, b)
                                if comparison != 0 { return comparison < 0 }
                            }
                            return a < b
                        }
                        var keyed = zip(leading, permutation).map { (key: $0, row: $1) }
                        guard keyed.count >= Self.radixSortMinimum else {
                            keyed.sort { a, b in a.key != b.key ? a.key < b.key : restPrecedes(a.row, b.row) }
                            permutation = keyed.map(\.row)
                            return
                        }
                        // Many rows: a stable radix sort by the leading words (rows stay in order
                        // within a key), then each run of equal keys by the items after them.
                        Self.radixSort(&keyed)
                        if !rest.isEmpty {
                            var start = 0
                            while start < keyed.count {
                                var end = start + 1
                                while end < keyed.count && keyed[end].key == keyed[start].key { end += 1 }
                                if end - start > 1 { keyed[start..<end].sort { a, b in restPrecedes(a.row, b.row) } }
                                start = end
                            }
                        }
                        permutation = keyed.map(\.row)
                        return
                    }
                    permutation.sort { a, b in
                        for cursor in cursors {
                            let comparison = cursor.compare(a, b)
                            if comparison != 0 { return comparison < 0 }
                        }
                        return a < b
                    }
                }
                return
            }
            let column = columns[index], item = order[index]
            let nulls = column.nulls ?? []
            nulls.withUnsafeBufferPointer { nulls in
                let base = Cursor(nulls: column.nulls == nil ? nil : nulls.baseAddress, descending: item.descending, nullsFirst: item.nullsFirst)
                switch column.values {
                case let .words(words):
                    words.withUnsafeBufferPointer { words in
                        var cursor = base
                        cursor.words = words.baseAddress
                        cursors.append(cursor)
                        withCursors(index + 1)
                    }
                case let .texts(bytes, starts):
                    bytes.withUnsafeBufferPointer { bytes in
                        starts.withUnsafeBufferPointer { starts in
                            var cursor = base
                            cursor.bytes = bytes.baseAddress
                            cursor.starts = starts.baseAddress
                            cursors.append(cursor)
                            withCursors(index + 1)
                        }
                    }
                }
            }
        }
        withCursors(0)
        return permutation
    }

    /// Rows from which the leading words are radix sorted rather than compared.
    static let radixSortMinimum = 1_024

    /// Sorts by key, stably: a byte at a time from the lowest (the sign bit flipped, so that
    /// negative keys come first), skipping the bytes every key shares.
    static func radixSort(_ keyed: inout [(key: Int64, row: Int)]) {
        let count = keyed.count
        var other = keyed
        var counts = [Int](repeating: 0, count: 256)
        var sourceIsKeyed = true
        for shift in stride(from: 0, to: 64, by: 8) {
            @inline(__always) func digit(_ key: Int64) -> Int {
                Int(truncatingIfNeeded: (UInt64(bitPattern: key) ^ (1 << 63)) >> UInt64(shift)) & 0xFF
            }
            let skipped: Bool = (sourceIsKeyed ? keyed : other).withUnsafeBufferPointer { source in
                counts.withUnsafeMutableBufferPointer { counts in
                    counts.update(repeating: 0)
                    for element in source { counts[digit(element.key)] &+= 1 }
                    if counts[digit(source[0].key)] == count { return true }
                    var total = 0
                    for bucket in 0..<256 {
                        let size = counts[bucket]
                        counts[bucket] = total
                        total &+= size
                    }
                    return false
                }
            }
            if skipped { continue }
            func scatter(_ source: UnsafeBufferPointer<(key: Int64, row: Int)>, _ target: UnsafeMutableBufferPointer<(key: Int64, row: Int)>) {
                counts.withUnsafeMutableBufferPointer { counts in
                    for element in source {
                        let bucket = digit(element.key)
                        target[counts[bucket]] = element
                        counts[bucket] &+= 1
                    }
                }
            }
            if sourceIsKeyed {
                keyed.withUnsafeBufferPointer { source in other.withUnsafeMutableBufferPointer { scatter(source, $0) } }
            } else {
                other.withUnsafeBufferPointer { source in keyed.withUnsafeMutableBufferPointer { scatter(source, $0) } }
            }
            sourceIsKeyed.toggle()
        }
        if !sourceIsKeyed { keyed = other }
    }

    /// One item's values as pointers, valid while `permutation` sorts.
    private struct Cursor {
        var nulls: UnsafePointer<Bool>?
        var descending: Bool
        var nullsFirst: Bool
        var words: UnsafePointer<Int64>? = nil
        var bytes: UnsafePointer<UInt8>? = nil
        var starts: UnsafePointer<Int>? = nil

        /// -1, 0 or 1 as row `a` sorts before, with or after row `b` for this item, NULLs placed as the item asks.
        @inline(__always)
        func compare(_ a: Int, _ b: Int) -> Int {
            if let nulls {
                switch (nulls[a], nulls[b]) {
                case (true, true): return 0
                case (true, false): return nullsFirst ? -1 : 1
                case (false, true): return nullsFirst ? 1 : -1
                case (false, false): break
                }
            }
            let order: Int
            if let words {
                order = words[a] < words[b] ? -1 : words[a] == words[b] ? 0 : 1
            } else if let bytes, let starts {
                let (lengthA, lengthB) = (starts[a + 1] - starts[a], starts[b + 1] - starts[b])
                let common = min(lengthA, lengthB)
                let bytewise = common > 0 ? memcmp(bytes + starts[a], bytes + starts[b], common) : 0
                order = bytewise != 0 ? (bytewise < 0 ? -1 : 1) : (lengthA == lengthB ? 0 : (lengthA < lengthB ? -1 : 1))
            } else {
                order = 0
            }
            return descending ? -order : order
        }
    }
}
