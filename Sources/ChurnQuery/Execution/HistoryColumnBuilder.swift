import ChurnModel
import ChurnStorage

/// Computes the columns of history calls (`previous(logins, 1)`, `avg_previous(logins, 3)`):
/// for each row, a value from the earlier rows of the same account, aligned with the store's
/// row groups so that scans read it like a stored fact column.
///
/// The rows taking part (with an account and a month; with `onlyMonths`, only the months wanted
/// and those they look back to) are listed with their account and month, in the store's order
/// when it already keeps each account's rows together in month order (the automatic sort key),
/// otherwise sorted so by a stable counting sort on the account code. A row without an account or
/// a month has no history (NULL).
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

    /// The rows taking part, each account's together in month order.
    struct Candidates {
        var rows: [Int32] = []
        var accounts: [UInt32] = []
        var months: [Int32] = []
        /// Start of each row group's rows in the three lists, in store order (before sorting).
        var groupStarts: [Int] = []
    }

    func build(_ calls: [HistoryCall]) throws -> [Output] {
        let reach = calls.map(\.months).max() ?? 0
        let relevant = onlyMonths.map { wanted in Set(wanted.flatMap { ($0 - reach)...$0 }) }
        var candidates = try listCandidates(keeping: relevant)
        let sorted = Self.sortByAccountAndMonth(&candidates)
        var outputs: [Output] = []
        var decoded: [String: (values: [Int64], nulls: [Bool])] = [:]
        for call in calls {
            guard let column = store.columnIndex(named: call.factName) else {
                throw QueryError("the fact column '\(call.factName)' is not stored in the cube", at: .synthesized)
            }
            let source = try decoded[call.factName.lowercased()] ?? decodeValues(of: column, at: candidates, sorted: sorted)
            decoded[call.factName.lowercased()] = source
            var results = [Int64](repeating: 0, count: candidates.rows.count)
            var known = [Bool](repeating: false, count: candidates.rows.count)
            let ambiguous = walk(call, sourceType: store.columns[column].type, source: source, candidates: candidates,
                                 values: &results, known: &known)
            let type = FactColumn(name: call.columnName, kind: call.kind).type
            outputs.append(Output(column: try encode(results, known: known, at: candidates, sorted: sorted, name: call.columnName, type: type),
                                  ambiguousRows: ambiguous))
        }
        return outputs
    }

    // MARK: - Reading the store

    /// The rows with an account and a relevant month, in store order, row group by row group.
    private func listCandidates(keeping relevant: Set<Int>?) throws -> Candidates {
        let monthIndex = self.monthIndex.map { month in month.flatMap { relevant?.contains($0) ?? true ? Int32($0) : nil } ?? -1 }
        let starts = store.rowGroupStarts
        let parts = try parallelMap(store.rowGroupCount) { group -> Candidates in
            var scratch: [UInt8] = []
            let count = store.rowGroupSizes[group]
            var accountCodes = [UInt32](repeating: 0, count: count), monthCodes = [UInt32](repeating: 0, count: count)
            _ = try accountCodes.withUnsafeMutableBufferPointer {
                try IntegerCodec.decode(store.columns[accountColumn].chunks[group], into: $0.baseAddress!, scratch: &scratch)
            }
            _ = try monthCodes.withUnsafeMutableBufferPointer {
                try IntegerCodec.decode(store.columns[monthColumn].chunks[group], into: $0.baseAddress!, scratch: &scratch)
            }
            var part = Candidates()
            part.rows.reserveCapacity(count); part.accounts.reserveCapacity(count); part.months.reserveCapacity(count)
            for row in 0..<count {
                let code = Int(monthCodes[row])
                let month = code < monthIndex.count ? monthIndex[code] : -1
                guard month >= 0, accountCodes[row] != 0 else { continue }
                part.rows.append(Int32(starts[group] + row))
                part.accounts.append(accountCodes[row])
                part.months.append(month)
            }
            return part
        }
        var all = Candidates()
        let total = parts.reduce(0) { $0 + $1.rows.count }
        all.rows.reserveCapacity(total); all.accounts.reserveCapacity(total); all.months.reserveCapacity(total)
        for part in parts {
            all.groupStarts.append(all.rows.count)
            all.rows += part.rows
            all.accounts += part.accounts
            all.months += part.months
        }
        all.groupStarts.append(all.rows.count)
        return all
    }

    /// The values of `column` at the candidates' rows, in the candidates' order. `sorted` says
    /// whether that order differs from the store's.
    private func decodeValues(of column: Int, at candidates: Candidates, sorted: Bool) throws -> (values: [Int64], nulls: [Bool]) {
        let starts = store.rowGroupStarts
        // Read in store order, group by group, at the listed rows only.
        // Candidate positions in store order; identity when the candidates are in it already.
        let byRow = sorted ? candidates.rows.indices.sorted { candidates.rows[$0] < candidates.rows[$1] } : []
        let storeOrder = sorted ? byRow.map { candidates.rows[$0] } : candidates.rows
        let groupStarts = sorted ? Self.groupStarts(of: storeOrder, groupStarts: starts) : candidates.groupStarts
        var values = [Int64](repeating: 0, count: storeOrder.count)
        var nulls = [Bool](repeating: false, count: storeOrder.count)
        try storeOrder.withUnsafeBufferPointer { rows in
            try values.withUnsafeMutableBufferPointer { values in
                try nulls.withUnsafeMutableBufferPointer { nulls in
                    nonisolated(unsafe) let values = values, nulls = nulls
                    _ = try parallelMap(store.rowGroupCount) { group in
                        let first = groupStarts[group], end = groupStarts[group + 1]
                        guard end > first else { return }
                        let chunk = store.columns[column].chunks[group]
                        var scratch: [UInt8] = []
                        if (end - first) * 4 >= chunk.rowCount {
                            // Most rows wanted: decode the chunk whole, then pick.
                            var whole = [Int64](repeating: 0, count: chunk.rowCount)
                            let mask = try whole.withUnsafeMutableBufferPointer {
                                try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch)
                            }
                            let start = Int32(starts[group])
                            for index in first..<end {
                                let row = Int(rows[index] - start)
                                values[index] = whole[row]
                                if let mask, mask.isNull(row) { nulls[index] = true }
                            }
                            return
                        }
                        let local = (first..<end).map { rows[$0] - Int32(starts[group]) }
                        let flags = try local.withUnsafeBufferPointer { local in
                            try IntegerCodec.decode(chunk, rows: local, into: values.baseAddress! + first, scratch: &scratch)
                        }
                        if let flags { for index in flags.indices where flags[index] { nulls[first + index] = true } }
                    }
                }
            }
        }
        guard sorted else { return (values, nulls) }
        // Back to the candidates' order.
        var ordered = (values: values, nulls: nulls)
        for (index, candidate) in byRow.enumerated() {
            ordered.values[candidate] = values[index]
            ordered.nulls[candidate] = nulls[index]
        }
        return ordered
    }

    /// Where each row group's rows start in `rows` (ascending row numbers).
    private static func groupStarts(of rows: [Int32], groupStarts starts: [Int]) -> [Int] {
        var result: [Int] = []
        var index = 0
        for start in starts {
            while index < rows.count, Int(rows[index]) < start { index += 1 }
            result.append(index)
        }
        result.append(rows.count)
        return result
    }

    // MARK: - Account-month order

    /// Puts the candidates in account-month order unless they are in it already (each account's
    /// rows contiguous, months ascending); returns whether it moved them.
    static func sortByAccountAndMonth(_ candidates: inout Candidates) -> Bool {
        let accounts = candidates.accounts, months = candidates.months
        if isClustered(accounts: accounts, months: months) { return false }
        let codeCount = Int(accounts.max() ?? 0) + 1
        var starts = [Int](repeating: 0, count: codeCount + 1)
        for account in accounts { starts[Int(account) + 1] += 1 }
        for code in 0..<codeCount { starts[code + 1] += starts[code] }
        var next = starts
        var order = [Int](repeating: 0, count: accounts.count)
        for index in accounts.indices {
            order[next[Int(accounts[index])]] = index
            next[Int(accounts[index])] += 1
        }
        // An account has a few dozen rows: insertion sort by month, stable.
        for code in 1..<codeCount where starts[code + 1] - starts[code] > 1 {
            for position in (starts[code] + 1)..<starts[code + 1] {
                let index = order[position], month = months[index]
                var slot = position
                while slot > starts[code], months[order[slot - 1]] > month {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = index
            }
        }
        candidates.rows = order.map { candidates.rows[$0] }
        candidates.accounts = order.map { accounts[$0] }
        candidates.months = order.map { months[$0] }
        return true
    }

    private static func isClustered(accounts: [UInt32], months: [Int32]) -> Bool {
        var seen = [Bool](repeating: false, count: Int(accounts.max() ?? 0) + 1)
        var current: UInt32 = 0, lastMonth: Int32 = -1
        for index in accounts.indices {
            let account = accounts[index], month = months[index]
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

    /// Fills `values` and `known` (in the candidates' order) for `call`; returns the ambiguous rows.
    private func walk(_ call: HistoryCall, sourceType: ColumnType, source: (values: [Int64], nulls: [Bool]), candidates: Candidates,
                      values: inout [Int64], known: inout [Bool]) -> Int {
        let back = Int32(call.months)
        let lowest = Int(candidates.months.min() ?? 0), highest = Int(candidates.months.max() ?? 0)
        var wanted = [Bool](repeating: onlyMonths == nil, count: max(0, highest - lowest + 1))
        for month in onlyMonths ?? [] where month >= lowest && month <= highest { wanted[month - lowest] = true }
        let scale: Double
        if case let .decimal(digits) = sourceType { scale = Self.powerOfTen(digits) } else { scale = 1 }
        // Segments that start at an account's first row are independent: one per core and more.
        let count = candidates.accounts.count
        let segmentCount = count < 1 << 16 ? 1 : 4 * activeProcessorCount()
        var bounds = [0]
        for segment in 1..<max(1, segmentCount) {
            var bound = max(bounds.last!, segment * count / segmentCount)
            while bound > 0, bound < count, candidates.accounts[bound] == candidates.accounts[bound - 1] { bound += 1 }
            bounds.append(bound)
        }
        bounds.append(count)
        var ambiguous = 0
        candidates.accounts.withUnsafeBufferPointer { accounts in
        candidates.months.withUnsafeBufferPointer { months in
        source.values.withUnsafeBufferPointer { sourceValues in
        source.nulls.withUnsafeBufferPointer { sourceNulls in
        values.withUnsafeMutableBufferPointer { values in
        known.withUnsafeMutableBufferPointer { known in
          nonisolated(unsafe) let values = values, known = known
          ambiguous = parallelMap(bounds.count - 1) { segment -> Int in
            var ambiguous = 0
            var runStart = bounds[segment]
            for position in bounds[segment]..<bounds[segment + 1] {
                let account = accounts[position], month = months[position]
                if position == 0 || accounts[position - 1] != account { runStart = position }
                guard wanted[Int(month) - lowest] else { continue }
                switch call.function {
                case .previous:
                    var found = -1, matches = 0
                    var earlier = position - 1
                    while earlier >= runStart, months[earlier] >= month - back {
                        if months[earlier] == month - back { matches += 1; found = earlier }
                        earlier -= 1
                    }
                    if matches > 1 { ambiguous += 1 }
                    if matches == 1, !sourceNulls[found] {
                        values[position] = sourceValues[found]
                        known[position] = true
                    }
                case .averagePrevious:
                    // Exact in 64 bits while the sum fits, in floating point past that.
                    var exact: Int64 = 0, overflowed = false, approximate = 0.0, rows = 0
                    var earlier = position - 1
                    while earlier >= runStart, months[earlier] >= month - back {
                        defer { earlier -= 1 }
                        guard months[earlier] < month, !sourceNulls[earlier] else { continue }
                        rows += 1
                        let raw = sourceValues[earlier]
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
                    values[position] = Int64(bitPattern: (total / Double(rows) / scale).bitPattern)
                    known[position] = true
                }
            }
            return ambiguous
          }.reduce(0, +)
        }}}}}}
        return ambiguous
    }

    private static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The values (in the candidates' order) as chunks aligned with the store's row groups, NULL
    /// where unknown; left uncompressed, as they live for one statement.
    private func encode(_ results: [Int64], known: [Bool], at candidates: Candidates, sorted: Bool, name: String,
                        type: ColumnType) throws -> StoredColumn {
        let starts = store.rowGroupStarts, sizes = store.rowGroupSizes
        // The candidates in store order give each row group one range of them; sorted ones are put
        // back in that order first, keeping the known values only.
        var rows = candidates.rows, values = results, isKnown = known
        var ranges = candidates.groupStarts
        if sorted {
            let order = results.indices.filter { known[$0] }.sorted { candidates.rows[$0] < candidates.rows[$1] }
            rows = order.map { candidates.rows[$0] }
            values = order.map { results[$0] }
            isKnown = [Bool](repeating: true, count: order.count)
            ranges = Self.groupStarts(of: rows, groupStarts: starts)
        }
        let chunks = try parallelMap(store.rowGroupCount) { group -> ColumnChunk in
            let start = starts[group], size = sizes[group]
            var chunk = [Int64](repeating: 0, count: size)
            var mask = NullMask(rowCount: size)
            let first = ranges[group], end = ranges[group + 1]
            var knownCount = 0
            for index in first..<end where isKnown[index] {
                chunk[Int(rows[index]) - start] = values[index]
                knownCount += 1
            }
            if knownCount < size {
                var next = first
                mask.setNulls { row in
                    while next < end, Int(rows[next]) - start < row || (Int(rows[next]) - start == row && !isKnown[next]) { next += 1 }
                    guard next < end, Int(rows[next]) - start == row else { return true }
                    next += 1
                    return false
                }
            }
            return try chunk.withUnsafeBufferPointer { chunk in
                try ChunkEncoder.encode(chunk, nulls: knownCount < size ? mask : nil, type: type, level: nil)
            }
        }
        return StoredColumn(name: name, type: type, chunks: chunks)
    }
}
