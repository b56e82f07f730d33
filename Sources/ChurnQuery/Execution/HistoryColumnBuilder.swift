import ChurnModel
import ChurnStorage

/// Computes the columns of history calls (`previous(logins, 1)`, `avg_previous(logins, 3)`):
/// for each row, a value from the earlier rows of the same account, aligned with the store's
/// row groups so that scans read it like a stored fact column.
///
/// One pass lays each account's rows out in month order: the store's own order when it is
/// clustered by account then month (the automatic sort key), otherwise a stable counting sort
/// by account code with the months of each account sorted after. A row without an account or a
/// month has no history (NULL).
struct HistoryColumnBuilder {
    let store: ColumnStore
    let accountColumn: Int
    let monthColumn: Int
    /// Stored month code -> calendar month index.
    let monthIndex: [Int?]
    /// Only rows of these months get a value (the rest NULL): ALERTS needs one month's.
    let onlyMonths: Set<Int>?

    /// A computed column and the account-months where `previous` found several rows in the
    /// month it looks back to (and so is NULL).
    struct Output {
        var column: StoredColumn
        var ambiguousRows: Int
    }

    func build(_ calls: [HistoryCall]) throws -> [Output] {
        let rowCount = store.rowCount
        guard rowCount > 0 else {
            return calls.map { Output(column: StoredColumn(name: $0.columnName, type: FactColumn(name: "", kind: $0.kind).type), ambiguousRows: 0) }
        }
        var accounts = [UInt32](repeating: 0, count: rowCount)
        var months = [Int32](repeating: -1, count: rowCount)
        try decodeKeys(into: &accounts, &months)
        let order = Self.accountMonthOrder(accounts: accounts, months: months)
        var outputs: [Output] = []
        var decoded: [String: (values: [Int64], nulls: [Bool])] = [:]
        for call in calls {
            guard let column = store.columnIndex(named: call.factName) else {
                throw QueryError("the fact column '\(call.factName)' is not stored in the cube", at: .synthesized)
            }
            let source = try decoded[call.factName.lowercased()] ?? decodeValues(of: column)
            decoded[call.factName.lowercased()] = source
            var values = [Int64](repeating: 0, count: rowCount)
            var nulls = [Bool](repeating: true, count: rowCount)
            let ambiguous = walk(call, sourceType: store.columns[column].type, source: source, accounts: accounts, months: months,
                                 order: order, values: &values, nulls: &nulls)
            let type = FactColumn(name: call.columnName, kind: call.kind).type
            outputs.append(Output(column: try encode(values, nulls: nulls, name: call.columnName, type: type), ambiguousRows: ambiguous))
        }
        return outputs
    }

    // MARK: - Reading the store

    private func decodeKeys(into accounts: inout [UInt32], _ months: inout [Int32]) throws {
        let starts = store.rowGroupStarts
        let monthIndex = self.monthIndex.map { $0.map(Int32.init) ?? -1 }
        try accounts.withUnsafeMutableBufferPointer { accounts in
            try months.withUnsafeMutableBufferPointer { months in
                nonisolated(unsafe) let accounts = accounts, months = months
                _ = try parallelMap(store.rowGroupCount) { group in
                    var scratch: [UInt8] = []
                    let start = starts[group]
                    _ = try IntegerCodec.decode(store.columns[accountColumn].chunks[group], into: accounts.baseAddress! + start, scratch: &scratch)
                    let count = store.rowGroupSizes[group]
                    var codes = [UInt32](repeating: 0, count: count)
                    _ = try codes.withUnsafeMutableBufferPointer { try IntegerCodec.decode(store.columns[monthColumn].chunks[group], into: $0.baseAddress!, scratch: &scratch) }
                    for row in 0..<count {
                        let code = Int(codes[row])
                        months[start + row] = code < monthIndex.count ? monthIndex[code] : -1
                    }
                }
            }
        }
    }

    private func decodeValues(of column: Int) throws -> (values: [Int64], nulls: [Bool]) {
        let rowCount = store.rowCount, starts = store.rowGroupStarts
        var values = [Int64](repeating: 0, count: rowCount)
        var nulls = [Bool](repeating: false, count: rowCount)
        try values.withUnsafeMutableBufferPointer { values in
            try nulls.withUnsafeMutableBufferPointer { nulls in
                nonisolated(unsafe) let values = values, nulls = nulls
                _ = try parallelMap(store.rowGroupCount) { group in
                    var scratch: [UInt8] = []
                    let start = starts[group]
                    if let mask = try IntegerCodec.decode(store.columns[column].chunks[group], into: values.baseAddress! + start, scratch: &scratch) {
                        for row in 0..<store.rowGroupSizes[group] where mask.isNull(row) { nulls[start + row] = true }
                    }
                }
            }
        }
        return (values, nulls)
    }

    // MARK: - Account-month order

    /// Row numbers with an account and a month, each account's rows together in month order
    /// (ties in row order); nil when the store already lays them out so.
    static func accountMonthOrder(accounts: [UInt32], months: [Int32]) -> [Int32]? {
        if isClustered(accounts: accounts, months: months) { return nil }
        let codeCount = Int(accounts.max() ?? 0) + 1
        var starts = [Int](repeating: 0, count: codeCount + 1)
        for row in accounts.indices where accounts[row] != 0 && months[row] >= 0 { starts[Int(accounts[row]) + 1] += 1 }
        for code in 0..<codeCount { starts[code + 1] += starts[code] }
        var next = starts
        var order = [Int32](repeating: 0, count: starts[codeCount])
        for row in accounts.indices where accounts[row] != 0 && months[row] >= 0 {
            order[next[Int(accounts[row])]] = Int32(row)
            next[Int(accounts[row])] += 1
        }
        // An account has a few dozen rows: insertion sort by month, stable.
        for code in 1..<codeCount where starts[code + 1] - starts[code] > 1 {
            for position in (starts[code] + 1)..<starts[code + 1] {
                let row = order[position], month = months[Int(row)]
                var slot = position
                while slot > starts[code], months[Int(order[slot - 1])] > month {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = row
            }
        }
        return order
    }

    /// Whether every account's rows are contiguous and ascend by month (rows without an account
    /// or a month may sit anywhere: they are skipped).
    private static func isClustered(accounts: [UInt32], months: [Int32]) -> Bool {
        var seen = [Bool](repeating: false, count: Int(accounts.max() ?? 0) + 1)
        var current: UInt32 = 0, lastMonth: Int32 = -1
        for row in accounts.indices {
            let account = accounts[row], month = months[row]
            guard account != 0, month >= 0 else { continue }
            if account != current {
                if seen[Int(account)] { return false }
                seen[Int(account)] = true
                current = account
            } else if month < lastMonth {
                return false
            }
            lastMonth = month
        }
        return true
    }

    // MARK: - The values

    /// Fills `values` and `nulls` (in store order) for `call`; returns the ambiguous rows.
    private func walk(_ call: HistoryCall, sourceType: ColumnType, source: (values: [Int64], nulls: [Bool]), accounts: [UInt32],
                      months: [Int32], order: [Int32]?, values: inout [Int64], nulls: inout [Bool]) -> Int {
        let identity = order == nil ? (0..<Int32(accounts.count)).map { $0 } : []
        let back = Int32(call.months)
        // Months whose rows get a value, by calendar index.
        let lowest = Int(months.lazy.filter { $0 >= 0 }.min() ?? 0), highest = Int(months.max() ?? 0)
        var wanted = [Bool](repeating: onlyMonths == nil, count: max(0, highest - lowest + 1))
        for month in onlyMonths ?? [] where month >= lowest && month <= highest { wanted[month - lowest] = true }
        let scale: Double
        if case let .decimal(digits) = sourceType { scale = Self.powerOfTen(digits) } else { scale = 1 }
        var ambiguous = 0
        (order ?? identity).withUnsafeBufferPointer { order in
        accounts.withUnsafeBufferPointer { accounts in
        months.withUnsafeBufferPointer { months in
        source.values.withUnsafeBufferPointer { sourceValues in
        source.nulls.withUnsafeBufferPointer { sourceNulls in
        values.withUnsafeMutableBufferPointer { values in
        nulls.withUnsafeMutableBufferPointer { nulls in
            var runStart = 0, runAccount: UInt32 = 0
            for position in 0..<order.count {
                let current = Int(order[position])
                let account = accounts[current], month = months[current]
                guard account != 0, month >= 0 else { continue }
                if account != runAccount { runStart = position; runAccount = account }
                guard wanted[Int(month) - lowest] else { continue }
                switch call.function {
                case .previous:
                    var found = -1, matches = 0
                    var earlier = position - 1
                    while earlier >= runStart {
                        let other = Int(order[earlier]), otherMonth = months[other]
                        earlier -= 1
                        if accounts[other] == 0 || otherMonth < 0 { continue }
                        if otherMonth < month - back { break }
                        if otherMonth == month - back { matches += 1; found = other }
                    }
                    if matches > 1 { ambiguous += 1 }
                    if matches == 1, !sourceNulls[found] {
                        values[current] = sourceValues[found]
                        nulls[current] = false
                    }
                case .averagePrevious:
                    // Exact in 64 bits while the sum fits, in floating point past that.
                    var exact: Int64 = 0, overflowed = false, approximate = 0.0, rows = 0
                    var earlier = position - 1
                    while earlier >= runStart {
                        let other = Int(order[earlier]), otherMonth = months[other]
                        earlier -= 1
                        if accounts[other] == 0 || otherMonth < 0 { continue }
                        if otherMonth < month - back { break }
                        guard otherMonth < month, !sourceNulls[other] else { continue }
                        rows += 1
                        let raw = sourceValues[other]
                        if sourceType == .double {
                            approximate += Double(bitPattern: UInt64(bitPattern: raw))
                        } else {
                            approximate += Double(raw)
                            let (sum, overflow) = exact.addingReportingOverflow(raw)
                            exact = sum
                            overflowed = overflowed || overflow
                        }
                    }
                    guard rows > 0 else { continue }
                    let total = sourceType == .double || overflowed ? approximate : Double(exact)
                    let mean = total / Double(rows) / scale
                    values[current] = Int64(bitPattern: mean.bitPattern)
                    nulls[current] = false
                }
            }
        }}}}}}}
        return ambiguous
    }

    private static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The values as chunks aligned with the store's row groups; left uncompressed, as they live
    /// for one statement.
    private func encode(_ values: [Int64], nulls: [Bool], name: String, type: ColumnType) throws -> StoredColumn {
        let starts = store.rowGroupStarts, sizes = store.rowGroupSizes
        let chunks = try values.withUnsafeBufferPointer { values in
            try parallelMap(store.rowGroupCount) { group -> ColumnChunk in
                let start = starts[group], size = sizes[group]
                var mask = NullMask(rowCount: size)
                var anyNull = false
                for row in 0..<size where nulls[start + row] { mask.setNull(row); anyNull = true }
                return try ChunkEncoder.encode(UnsafeBufferPointer(rebasing: values[start..<(start + size)]), nulls: anyNull ? mask : nil,
                                               type: type, level: nil)
            }
        }
        return StoredColumn(name: name, type: type, chunks: chunks)
    }
}
