import ChurnModel
import ChurnStorage
import ChurnSyntax

/// The outcome that BACKTEST and HEALTH judge against: an account-month (a, t) is evaluated when
/// the data holds the n months after t (t + n is at most the data's last month), a is active in t
/// (`churned = 0`) and the row names its account; its outcome is 1 when a has `churned = 1` in one
/// of t+1…t+n (over all the data: an outcome does not depend on WHERE).
///
/// In memory, built from one grouped scan of the churned rows by account and month; each account
/// gets a class, the set of its churn months, as a key derived from the account column, so that
/// scans grouped by (class, month, ...) tell every group's outcome without grouping by
/// account-month. On a remote engine the key is a column computed there instead: each row's
/// outcome, from a window over its account's next months.
struct ChurnOutcomes {
    /// The engine the scans run on: on a remote engine, one whose cube has the outcome column.
    let engine: QueryEngine
    let axis: TimeAxis
    let horizon: Int
    let lastMonth: Int
    /// The user's filter and "active, with an account": the rows that may be evaluated.
    let evaluatedFilter: RowPredicate
    private let classKey: GroupAttribute
    private let classes: [[Int]]
    /// On a remote engine, the key's code of the outcome '1' (classes are not used there).
    private let remoteOutcomeCode: UInt32?
    /// On a remote engine, the store column of each row's outcome: '1', '0', or NULL where the
    /// row is not evaluated.
    private(set) var outcomeColumn: Int?

    static let defaultHorizon = 3

    init(engine: QueryEngine, statement: String, horizon requested: Int?, filter: RowPredicate?, binder: inout PredicateBinder,
         at range: SourceRange, cancellation: Cancellation) throws {
        let catalog = engine.catalog
        guard let axis = TimeAxis(catalog: catalog) else {
            throw QueryError("\(statement) follows accounts month by month; cube '\(engine.cube.name)' has no dimension of months", at: range)
        }
        guard let account = catalog.attribute(named: "account_id"), account.codeMap == nil else {
            throw QueryError("\(statement) follows accounts; cube '\(engine.cube.name)' has no account_id dimension", at: range)
        }
        try engine.requireFact("churned", for: statement, at: range)
        let months = axis.monthIndex.compactMap { $0 }
        guard let firstMonth = months.min(), let lastMonth = months.max() else { throw QueryError("the cube has no months", at: range) }
        let horizon = requested ?? Self.defaultHorizon
        guard horizon >= 1, horizon <= lastMonth - firstMonth else {
            throw QueryError("HORIZON \(horizon) does not fit the data: its months run from \(TimeAxis.label(of: firstMonth)) to "
                             + "\(TimeAxis.label(of: lastMonth)), so a horizon is 1 to \(max(1, lastMonth - firstMonth)) months", at: range)
        }
        self.axis = axis
        self.horizon = horizon
        self.lastMonth = lastMonth
        // Rows without an account cannot be followed: they are not evaluated.
        let active = RowPredicate.and([try binder.bind(.binary(.equal, .column("churned"), .integer(0))),
                                       try binder.bind(.isNull(.column(account.name), negated: true))])
        evaluatedFilter = filter.map { RowPredicate.and([$0, active]) } ?? active

        if catalog.connection != nil, let churned = engine.cube.store.columnIndex(named: "churned") {
            let store = engine.cube.store
            let outcomes = ValueDictionary(distinctValues: ["0", "1"])
            let name = "churn within \(horizon) months of \(account.name)"
            let column = StoredColumn(name: name, type: .dimension, dictionary: outcomes)
            let window = RemoteWindowColumn(window: .churnWithin(months: horizon, churnedColumn: churned, lastEvaluated: lastMonth - horizon),
                                            accountColumn: account.column, monthColumn: axis.month.column)
            self.engine = QueryEngine(extending: engine, with: Cube(definition: engine.cube.definition, store: try ColumnStore(columns: store.columns + [column])),
                                      windowColumns: [store.columns.count: window])
            classKey = GroupAttribute(name: name, column: store.columns.count, dictionary: outcomes, codeMap: nil, kind: .text)
            outcomeColumn = store.columns.count
            classes = []
            remoteOutcomeCode = outcomes.code(of: "1")
            return
        }
        remoteOutcomeCode = nil
        let churnedRows = try binder.bind(.binary(.equal, .column("churned"), .integer(1)))
        let (churns, _) = try AggregationScan(store: engine.cube.store, catalog: catalog, filter: churnedRows,
                                              keyAttributes: [account, axis.month], specs: []).run(cancellation: cancellation)
        var churnMonths = [[Int]](repeating: [], count: account.codeCount)
        for slot in churns.occupiedSlots {
            let key = churns.key(ofSlot: slot)
            let code = Int(churns.code(ofKey: key, at: 0))
            if code != 0, let month = axis.monthIndex[Int(churns.code(ofKey: key, at: 1))] { churnMonths[code].append(month) }
        }
        var classes: [[Int]] = [[]]
        var classOf: [[Int]: UInt32] = [[]: 0]
        var accountClass = [UInt32](repeating: 0, count: account.codeCount)
        for code in churnMonths.indices where !churnMonths[code].isEmpty {
            let set = churnMonths[code].sorted()
            if let known = classOf[set] { accountClass[code] = known; continue }
            classOf[set] = UInt32(classes.count)
            accountClass[code] = UInt32(classes.count)
            classes.append(set)
        }
        var labels = ValueDictionary()
        for index in 1..<max(2, classes.count) { _ = labels.intern(String(index)) }
        classKey = GroupAttribute(name: "churn months of \(account.name)", column: account.column, dictionary: labels,
                                  codeMap: accountClass, kind: .text)
        self.classes = classes
        self.engine = engine
    }

    /// The evaluated rows `filter` keeps (the evaluated filter is added), grouped by class, month and `keys`.
    func scan(_ filter: RowPredicate?, by keys: [GroupAttribute], specs: [AggregateSpec], cancellation: Cancellation) throws -> GroupedAggregation {
        let condition = filter.map { RowPredicate.and([evaluatedFilter, $0]) } ?? evaluatedFilter
        let (aggregation, _) = try AggregationScan(store: engine.cube.store, catalog: engine.catalog, filter: condition,
                                                   keyAttributes: [classKey, axis.month] + keys, specs: specs).run(cancellation: cancellation)
        try aggregation.checkRepresentable()
        return aggregation
    }

    /// Each group of such a scan whose month is evaluated: its month, the codes of `keys`, its rows
    /// and whether they have the outcome.
    func forEachEvaluated(_ table: GroupedAggregation, _ body: (_ month: Int, _ keys: [UInt32], _ rows: Int, _ outcome: Bool, _ slot: Int) -> Void) {
        var codes = [UInt32](repeating: 0, count: table.radices.count)
        for slot in table.occupiedSlots {
            table.codes(ofKey: table.key(ofSlot: slot), into: &codes)
            guard let month = axis.monthIndex[Int(codes[1])], let outcome = outcome(ofClass: codes[0], monthCode: codes[1]) else { continue }
            body(month, Array(codes.dropFirst(2)), Int(table.rows[slot]), outcome, slot)
        }
    }

    /// Whether account-months of churn class `classCode` in the month of stored code `monthCode`
    /// have the outcome; nil when that month is not evaluated (NULL, or fewer than `horizon`
    /// months of data after it).
    func outcome(ofClass classCode: UInt32, monthCode: UInt32) -> Bool? {
        guard let month = axis.monthIndex[Int(monthCode)], month + horizon <= lastMonth else { return nil }
        if let remoteOutcomeCode { return classCode == 0 ? nil : classCode == remoteOutcomeCode }
        return classes[Int(classCode)].contains { $0 > month && $0 <= month + horizon }
    }

    /// Every (class, month) pair's outcome in one table, for scans that meet the evaluated rows
    /// one by one instead of grouped by class and month.
    func rowOutcomes() -> RowOutcomes {
        let monthCodes = axis.month.codeCount
        var table = [Int8](repeating: RowOutcomes.notEvaluated, count: classes.count * monthCodes)
        for classCode in classes.indices {
            for monthCode in 0..<monthCodes {
                if let outcome = outcome(ofClass: UInt32(classCode), monthCode: UInt32(monthCode)) {
                    table[classCode * monthCodes + monthCode] = outcome ? 1 : 0
                }
            }
        }
        return RowOutcomes(accountColumn: classKey.column, monthColumn: axis.month.column, classOfAccount: classKey.codeMap!,
                           monthCodeCount: monthCodes, table: table)
    }

    /// A row's outcome from its stored account and month codes: its account's class, then the
    /// (class, month) table.
    struct RowOutcomes: Sendable {
        static let notEvaluated: Int8 = -1
        let accountColumn: Int
        let monthColumn: Int
        let classOfAccount: [UInt32]
        let monthCodeCount: Int
        /// class × month codes: 1 outcome, 0 none, `notEvaluated`.
        let table: [Int8]

        @inline(__always)
        func outcome(account: UInt32, month: UInt32) -> Int8 {
            table[Int(classOfAccount[Int(account)]) * monthCodeCount + Int(month)]
        }
    }
}
