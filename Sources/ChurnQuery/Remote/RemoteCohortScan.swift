import ChurnArrow
import ChurnStorage

/// COHORT's sums computed by the remote engine. Each account's cohort is found in SQL (the first
/// and last month of its rows in the slice, and the smallest member of its first month) and joined
/// back to its rows, so that only sums per (cohort, month) travel, never account-months. Two
/// statements: the accounts per cohort with the data's months, then the sums.
struct RemoteCohortScan {
    let connection: any SQLConnection
    let catalog: CubeCatalog
    let inputs: CohortInputs
    let account: GroupAttribute
    let axis: TimeAxis
    let split: GroupAttribute?

    /// nil when the slice has no row with a month.
    func run(cancellation: Cancellation) throws -> CohortSums? {
        let accountRows = try connection.run(try accountsStatement(), cancellation: cancellation)
        let members = split.map { MemberLookup(values: $0.dictionary.values) }
        func memberCode(_ cell: ArrowCell) throws -> UInt32 {
            guard let members, let split, let text = cell.text else { return 0 }
            return try members.code(of: text, of: split, in: connection.table)
        }

        // The data's months, from every account with a month (the NULL account too), then the
        // accounts per cohort.
        var starts: [(start: Int, member: UInt32, accounts: Int)] = []
        var dataFirst = Int.max, dataLast = Int.min
        for batch in accountRows.batches {
            for row in 0..<batch.rowCount {
                guard let start = ArrowCell(column: batch.columns[1], row: row).text.flatMap(TimeAxis.index(of:)),
                      let finish = ArrowCell(column: batch.columns[2], row: row).text.flatMap(TimeAxis.index(of:)) else { continue }
                dataFirst = min(dataFirst, start)
                dataLast = max(dataLast, finish)
                guard ArrowCell(column: batch.columns[0], row: row).integer == 0 else { continue }
                let count = Int(ArrowCell(column: batch.columns[4], row: row).integer ?? 0)
                starts.append((start, try memberCode(ArrowCell(column: batch.columns[3], row: row)), count))
            }
        }
        guard dataFirst != .max else { return nil }
        let memberCount = split?.codeCount ?? 1
        func cohort(start: Int, member: UInt32) -> Int { (start - dataFirst) * memberCount + Int(member) + 1 }
        var sums = CohortSums(dataFirst: dataFirst, dataLast: dataLast,
                              startCounts: [Int](repeating: 0, count: (dataLast - dataFirst + 1) * memberCount + 1))
        for entry in starts {
            if entry.start == dataFirst { sums.leftOut += entry.accounts; continue }
            sums.startCounts[cohort(start: entry.start, member: entry.member)] += entry.accounts
        }

        let cellRows = try connection.run(try sumsStatement(), cancellation: cancellation)
        for batch in cellRows.batches {
            for row in 0..<batch.rowCount {
                guard let start = ArrowCell(column: batch.columns[0], row: row).text.flatMap(TimeAxis.index(of:)), start != dataFirst,
                      let month = ArrowCell(column: batch.columns[2], row: row).text.flatMap(TimeAxis.index(of:)) else { continue }
                var cell = CohortSums.Cell(cohort: cohort(start: start, member: try memberCode(ArrowCell(column: batch.columns[1], row: row))),
                                           month: month)
                var column = 3
                if inputs.active != nil {
                    cell.activeAccounts = ArrowCell(column: batch.columns[column], row: row).double ?? 0
                    column += 1
                    if inputs.activeSum != nil {
                        cell.activeSum = ArrowCell(column: batch.columns[column], row: row).double ?? 0
                        column += 1
                    }
                }
                cell.rowSums = inputs.rowSums.indices.map { ArrowCell(column: batch.columns[column + $0], row: row).double }
                sums.cells.append(cell)
            }
        }
        return sums
    }

    // MARK: - Statements

    /// Per account of the slice: `start`, its first month (NULL unless its first and last are
    /// months), `finish`, its last, and with a split `member`, the smallest member of its first
    /// month.
    private func accountsCTE() throws -> String {
        let source = SQLRowSource(dialect: connection.dialect, table: connection.table, catalog: catalog, filter: inputs.filter)
        let writer = source.writer
        var outputs: [(sql: String, alias: String)] = [(try source.attribute(account), "acc"), (try source.attribute(axis.month), "m")]
        var columns: Set<Int> = [account.column, axis.month.column]
        if let split {
            outputs.append((try source.attribute(split), "s"))
            columns.insert(split.column)
        }
        if let active = inputs.active {
            outputs.append(("CASE WHEN \(writer.condition(active)) THEN 1 ELSE 0 END", "active"))
            columns.formUnion(active.columns)
        }
        for (index, expression) in summed.enumerated() {
            outputs.append((writer.expression(expression), "x\(index)"))
            columns.formUnion(expression.columns)
        }
        let dialect = connection.dialect
        var text = "WITH facts AS (" + source.query(outputs: outputs, columns: columns) + "),\n"
            + "accounts AS (SELECT acc, CASE WHEN \(dialect.isMonth("min(m)")) AND \(dialect.isMonth("max(m)")) THEN min(m) END AS start, "
            + "max(m) AS finish\n  FROM facts GROUP BY acc)"
        if split != nil {
            text += ",\nmembers AS (SELECT facts.acc, min(facts.s) AS member\n  FROM facts JOIN accounts ON facts.acc = accounts.acc "
                + "AND facts.m = accounts.start GROUP BY facts.acc)"
        }
        return text
    }

    /// The expressions summed: the active rows' sum first, then the row sums.
    private var summed: [RowExpression] { (inputs.activeSum.map { [$0] } ?? []) + inputs.rowSums }

    private var memberJoin: String { split == nil ? "" : "\n  LEFT JOIN members ON accounts.acc = members.acc" }
    private var member: String { split == nil ? "CAST(NULL AS STRING)" : "members.member" }

    /// Whether the account is NULL, start, finish, member, accounts.
    private func accountsStatement() throws -> String {
        try accountsCTE() + "\nSELECT CAST(accounts.acc IS NULL AS BIGINT) AS k0, accounts.start AS k1, accounts.finish AS k2, \(member) AS k3, count(*) AS n"
            + "\nFROM accounts" + memberJoin
            + "\nGROUP BY accounts.acc IS NULL, accounts.start, accounts.finish" + (split == nil ? "" : ", members.member")
    }

    /// Start, member, month, then [active accounts, [Σ active sum]], Σ row sums.
    private func sumsStatement() throws -> String {
        var select = ["accounts.start AS k0", "\(member) AS k1", "facts.m AS k2"]
        var index = 0
        func sum(_ value: String, _ expression: RowExpression) -> String { SQLExpressionWriter.sum(value, of: expression) }
        if inputs.active != nil {
            select.append("count(DISTINCT CASE WHEN facts.active = 1 THEN facts.acc END) AS a")
            if let activeSum = inputs.activeSum {
                select.append("\(sum("CASE WHEN facts.active = 1 THEN facts.x0 END", activeSum)) AS r")
                index = 1
            }
        }
        for (offset, expression) in inputs.rowSums.enumerated() {
            select.append("\(sum("facts.x\(index + offset)", expression)) AS t\(offset)")
        }
        return try accountsCTE() + "\nSELECT " + select.joined(separator: ", ")
            + "\nFROM facts JOIN accounts ON facts.acc = accounts.acc" + memberJoin
            + "\nWHERE accounts.start IS NOT NULL AND facts.m IS NOT NULL"
            + "\nGROUP BY accounts.start, \(split == nil ? "" : "members.member, ")facts.m"
    }
}
