import ChurnModel
import ChurnStorage
import ChurnSyntax
import Dispatch

/// COHORT: accounts grouped by the month of their first row in the slice, followed month by
/// month since that start.
///
/// The rows give `CohortSums` (from grouped scans of the store, or one remote statement); months
/// since start and the cohort grain (month, quarter, year) are folded in afterwards.
struct CohortRetention {
    let engine: QueryEngine

    /// Default and largest MONTHS.
    static let defaultMonths = 12
    static let maximumMonths = 240
    /// A split dimension may have at most this many members.
    static let maximumSplitMembers = 1_000

    private enum Measure {
        case logoRetention
        case revenueRetention
        case ratio(RatioParts, name: String, format: ResultColumn.Format)

        var name: String {
            switch self {
            case .logoRetention: return "logo_retention"
            case .revenueRetention: return "revenue_retention"
            case let .ratio(_, name, _): return name
            }
        }
    }

    /// One cohort (and member of the split), with its accounts and per month since start the sums.
    private struct Cohort {
        var label: String
        var member: UInt32
        var accounts = 0
        /// The latest start month among its accounts: month k is observed for all of them up to
        /// the data's last month minus this.
        var latestStart = Int.min
        var active: [Double] = []
        var revenueEnd: [Double] = []
        /// nil where no row had a numerator (SQL's SUM of NULLs is NULL, and so is the ratio).
        var numerator: [Double?] = []
        var denominator: [Double] = []
        var startRevenue = 0.0
    }

    func run(_ statement: CohortStatement, cancellation: Cancellation) throws -> QueryResult {
        let catalog = engine.catalog
        try engine.checkCube(statement.cube)
        guard let axis = TimeAxis(catalog: catalog) else {
            throw QueryError("COHORT follows accounts month by month; cube '\(engine.cube.name)' has no dimension of months", at: statement.range)
        }
        guard let account = catalog.attribute(named: "account_id"), account.codeMap == nil else {
            throw QueryError("COHORT follows accounts; cube '\(engine.cube.name)' has no account_id dimension", at: statement.range)
        }
        let months = statement.months ?? Self.defaultMonths
        guard (0...Self.maximumMonths).contains(months) else {
            throw QueryError("MONTHS must be 0 to \(Self.maximumMonths), not \(months)", at: statement.range)
        }
        let measure = try measure(of: statement.measure)
        var grain: GroupAttribute?
        var split: GroupAttribute?
        if let by = statement.by {
            guard let attribute = catalog.attribute(named: by.name) else { throw catalog.unknownName(by, expected: "dimension") }
            if attribute === axis.month {
                grain = nil
            } else if axis.levels.contains(where: { $0 === attribute }) {
                grain = attribute
            } else if attribute.column == account.column {
                throw QueryError("COHORT already follows each account; BY takes a dimension that splits the cohorts, or quarter or year",
                                 at: by.range)
            } else {
                guard attribute.codeCount - 1 <= Self.maximumSplitMembers else {
                    throw QueryError("'\(attribute.name)' has \(Thousands.grouped(attribute.codeCount - 1)) members; COHORT splits by a dimension "
                                     + "of at most \(Thousands.grouped(Self.maximumSplitMembers))", at: by.range)
                }
                split = attribute
            }
        }
        let started = DispatchTime.now()
        var predicateBinder = PredicateBinder(catalog: catalog)
        let binder = SelectBinder(catalog: catalog)
        var inputs = CohortInputs(filter: try statement.filter.map { try predicateBinder.bind($0) }, rowSums: [])
        switch measure {
        case .logoRetention, .revenueRetention:
            // Retention counts the rows of accounts still active: churned = 0.
            let churned = try factColumn("churned", for: measure, at: statement.measure.range)
            let active = try predicateBinder.bind(.binary(.equal, .column(churned), .integer(0)))
            inputs.active = inputs.filter.map { RowPredicate.and([$0, active]) } ?? active
            if case .revenueRetention = measure {
                inputs.activeSum = try binder.bindRow(.column(try factColumn("mrr_end", for: measure, at: statement.measure.range)), function: "SUM")
                inputs.rowSums = [try binder.bindRow(.column(try factColumn("mrr_start", for: measure, at: statement.measure.range)), function: "SUM")]
            }
        case let .ratio(parts, _, _):
            inputs.rowSums = [.approximate(parts.numerator), .approximate(parts.denominator)]
        }
        let gathered: CohortSums?
        if let connection = catalog.connection {
            gathered = try RemoteCohortScan(connection: connection, catalog: catalog, inputs: inputs, account: account, axis: axis, split: split)
                .run(cancellation: cancellation)
        } else {
            gathered = try localSums(inputs, account: account, axis: axis, split: split, cancellation: cancellation)
        }
        guard let sums = gathered else {
            var empty = result(measure: measure, split: split, cohorts: [], months: months, dataLast: 0)
            empty.text = "\(measure.name) by cohort: the slice has no rows with a month"
            empty.warnings = predicateBinder.warnings
            return empty
        }

        // Fold (start month, member) into cohorts of the grain.
        let memberCount = split?.codeCount ?? 1
        var cohorts: [String: Cohort] = [:]
        func cohortName(start: Int) -> String {
            let month = TimeAxis.label(of: start)
            guard let grain, let monthCode = axis.month.dictionary.code(of: month), let codeMap = grain.codeMap else { return month }
            return grain.dictionary.value(of: codeMap[Int(monthCode)]) ?? month
        }
        func derivedParts(_ derived: Int) -> (start: Int, member: UInt32) {
            ((derived - 1) / memberCount + sums.dataFirst, UInt32((derived - 1) % memberCount))
        }
        func touch(_ derived: Int, _ body: (inout Cohort, _ start: Int) -> Void) {
            let (start, member) = derivedParts(derived)
            let label = cohortName(start: start)
            let key = label + "\u{0}" + String(member)
            var cohort = cohorts[key] ?? Cohort(label: label, member: member)
            if cohort.active.isEmpty {
                for array in [\Cohort.active, \Cohort.revenueEnd, \Cohort.denominator] {
                    cohort[keyPath: array] = [Double](repeating: 0, count: months + 1)
                }
                cohort.numerator = [Double?](repeating: nil, count: months + 1)
            }
            body(&cohort, start)
            cohorts[key] = cohort
        }
        for derived in sums.startCounts.indices.dropFirst() where sums.startCounts[derived] > 0 {
            touch(derived) { cohort, start in
                cohort.accounts += sums.startCounts[derived]
                cohort.latestStart = max(cohort.latestStart, start)
            }
        }
        let ratio: Bool
        if case .ratio = measure { ratio = true } else { ratio = false }
        for cell in sums.cells {
            let k = cell.month - derivedParts(cell.cohort).start
            guard (0...months).contains(k) else { continue }
            touch(cell.cohort) { cohort, _ in
                if ratio {
                    if let numerator = cell.rowSums[0] { cohort.numerator[k] = (cohort.numerator[k] ?? 0) + numerator }
                    cohort.denominator[k] += cell.rowSums[1] ?? 0
                } else {
                    cohort.active[k] += cell.activeAccounts
                    cohort.revenueEnd[k] += cell.activeSum
                    if k == 0, let startRevenue = cell.rowSums.first { cohort.startRevenue += startRevenue ?? 0 }
                }
            }
        }
        let ordered = cohorts.values.sorted { lhs, rhs in
            if lhs.label != rhs.label { return ByteString(lhs.label) < ByteString(rhs.label) }
            return split?.precedes(lhs.member, rhs.member) ?? false
        }
        var table = result(measure: measure, split: split, cohorts: ordered, months: months, dataLast: sums.dataLast)
        var caption = "\(measure.name) by \(grain.map { "\($0.name) of the first month" } ?? "month of the first row")"
            + (split.map { " and \($0.name) then" } ?? "") + ", months since start 0 to \(months)"
        caption += "; \(Thousands.grouped(sums.leftOut)) account\(sums.leftOut == 1 ? "" : "s") already present in the first month "
            + "\(TimeAxis.label(of: sums.dataFirst)) left out (start unknown)"
        caption += String(format: "; %.1f ms", milliseconds(since: started))
        table.text = caption
        table.warnings = predicateBinder.warnings
        return table
    }

    /// The sums from grouped scans of the store, none of them by account-month:
    /// 1. by account: its first and last month, and whether it has two rows in one month;
    ///    with BY a dimension, also by account and member, for the member of its first month;
    /// 2. by (the account's cohort, month) through a key derived from the account column: the
    ///    active rows and their `activeSum`;
    /// 3. the same key over every row: the `rowSums`.
    /// nil when the slice has no row with a month.
    private func localSums(_ inputs: CohortInputs, account: GroupAttribute, axis: TimeAxis, split: GroupAttribute?,
                           cancellation: Cancellation) throws -> CohortSums? {
        let monthIndex = engine.catalog.attributes.firstIndex { $0 === axis.month }!
        let (accounts, _) = try scan(inputs.filter, keys: [account], specs: [.minAttribute(attribute: monthIndex), .maxAttribute(attribute: monthIndex),
                                                                            .countDistinct(attribute: monthIndex)], cancellation: cancellation)
        let first = accounts.aggregates[0] as! AttributeExtremumAggregate
        let last = accounts.aggregates[1] as! AttributeExtremumAggregate
        var firstMonth = [Int?](repeating: nil, count: account.codeCount)
        var dataFirst = Int.max, dataLast = Int.min
        var repeatedMonths = false
        for slot in accounts.occupiedSlots {
            let code = Int(accounts.code(ofKey: accounts.key(ofSlot: slot), at: 0))
            guard let low = first.code(slot: slot).flatMap({ axis.monthIndex[Int($0)] }),
                  let high = last.code(slot: slot).flatMap({ axis.monthIndex[Int($0)] }) else { continue }
            dataFirst = min(dataFirst, low)
            dataLast = max(dataLast, high)
            if code == 0 { continue }
            firstMonth[code] = low
            if case let .integer(distinct) = accounts.value(2, slot: slot), distinct < accounts.rows[slot] { repeatedMonths = true }
        }
        guard dataFirst != .max else { return nil }

        // The member of each account's first month: the smallest non-NULL one (as SQL's MIN).
        var memberOf = [UInt32](repeating: 0, count: account.codeCount)
        if let split {
            let (members, _) = try scan(inputs.filter, keys: [account, split], specs: [.minAttribute(attribute: monthIndex)], cancellation: cancellation)
            let firstOfMember = members.aggregates[0] as! AttributeExtremumAggregate
            let ranks = split.sortRanks
            for slot in members.occupiedSlots {
                let key = members.key(ofSlot: slot)
                let code = Int(members.code(ofKey: key, at: 0)), member = members.code(ofKey: key, at: 1)
                guard code != 0, member != 0, let start = firstMonth[code],
                      firstOfMember.code(slot: slot).flatMap({ axis.monthIndex[Int($0)] }) == start else { continue }
                let current = memberOf[code]
                if current == 0 || ranks[Int(member)] < ranks[Int(current)] { memberOf[code] = member }
            }
        }

        // The cohort of each account as one derived code; 0 for accounts left out.
        let memberCount = split?.codeCount ?? 1
        let span = dataLast - dataFirst + 1
        var sums = CohortSums(dataFirst: dataFirst, dataLast: dataLast, startCounts: [Int](repeating: 0, count: span * memberCount + 1))
        var cohortCode = [UInt32](repeating: 0, count: account.codeCount)
        for code in 1..<account.codeCount {
            guard let start = firstMonth[code] else { continue }
            if start == dataFirst { sums.leftOut += 1; continue }
            let derived = (start - dataFirst) * memberCount + Int(memberOf[code]) + 1
            cohortCode[code] = UInt32(derived)
            sums.startCounts[derived] += 1
        }
        var labels = ValueDictionary()
        for derived in 1..<(span * memberCount + 1) { _ = labels.intern(String(derived)) }
        let cohortKey = GroupAttribute(name: "cohort of \(account.name)", column: account.column, dictionary: labels,
                                       codeMap: cohortCode, kind: .text)

        // Cells by (cohort, month): the scans' groups, folded into one list.
        var cellIndex: [Int: Int] = [:]
        func withCell(_ derived: Int, _ month: Int, _ body: (inout CohortSums.Cell) -> Void) {
            let key = derived * (span + 1) + (month - dataFirst)
            let index = cellIndex[key] ?? {
                sums.cells.append(CohortSums.Cell(cohort: derived, month: month, rowSums: [Double?](repeating: nil, count: inputs.rowSums.count)))
                cellIndex[key] = sums.cells.count - 1
                return sums.cells.count - 1
            }()
            body(&sums.cells[index])
        }
        func forEachGroup(_ table: GroupedAggregation, _ body: (_ derived: Int, _ month: Int, _ slot: Int) -> Void) {
            for slot in table.occupiedSlots {
                let key = table.key(ofSlot: slot)
                let derived = Int(table.code(ofKey: key, at: 0)), monthCode = Int(table.code(ofKey: key, at: 1))
                guard derived != 0, let month = axis.monthIndex[monthCode] else { continue }
                body(derived, month, slot)
            }
        }
        if let active = inputs.active {
            let activeSpecs = inputs.activeSum.map { [AggregateSpec.sum($0)] } ?? []
            let (activeTable, _) = try scan(active, keys: [cohortKey, axis.month], specs: activeSpecs, cancellation: cancellation)
            // Accounts with two rows in one month are counted once per month.
            var distinctActive: [Int: Int]?
            if repeatedMonths {
                let (pairs, _) = try scan(active, keys: [account, axis.month], specs: [], cancellation: cancellation)
                var counts: [Int: Int] = [:]
                for slot in pairs.occupiedSlots {
                    let key = pairs.key(ofSlot: slot)
                    let code = Int(pairs.code(ofKey: key, at: 0)), monthCode = Int(pairs.code(ofKey: key, at: 1))
                    guard code != 0, cohortCode[code] != 0, let month = axis.monthIndex[monthCode] else { continue }
                    counts[Int(cohortCode[code]) * (span + 1) + (month - dataFirst), default: 0] += 1
                }
                distinctActive = counts
            }
            forEachGroup(activeTable) { derived, month, slot in
                let accountsActive = distinctActive.map { Double($0[derived * (span + 1) + (month - dataFirst)] ?? 0) }
                    ?? Double(activeTable.rows[slot])
                let revenue = activeSpecs.isEmpty ? 0 : activeTable.aggregates[0].doubleValue(slot: slot, rows: activeTable.rows[slot]) ?? 0
                withCell(derived, month) { cell in
                    cell.activeAccounts += accountsActive
                    cell.activeSum += revenue
                }
            }
        }
        if !inputs.rowSums.isEmpty {
            let (allTable, _) = try scan(inputs.filter, keys: [cohortKey, axis.month], specs: inputs.rowSums.map(AggregateSpec.sum),
                                         cancellation: cancellation)
            forEachGroup(allTable) { derived, month, slot in
                let rows = allTable.rows[slot]
                withCell(derived, month) { cell in
                    for index in inputs.rowSums.indices {
                        guard let value = allTable.aggregates[index].doubleValue(slot: slot, rows: rows) else { continue }
                        cell.rowSums[index] = (cell.rowSums[index] ?? 0) + value
                    }
                }
            }
        }
        return sums
    }

    private func result(measure: Measure, split: GroupAttribute?, cohorts: [Cohort], months: Int, dataLast: Int) -> QueryResult {
        var columns = [ResultColumn(name: "cohort", role: .dimension, format: .text)]
        if let split { columns.append(ResultColumn(name: split.name, role: .dimension, format: .text)) }
        let valueFormat: ResultColumn.Format
        if case let .ratio(_, _, format) = measure { valueFormat = format } else { valueFormat = .percent }
        columns += [ResultColumn(name: "months_since_start", role: .dimension, format: .integer),
                    ResultColumn(name: "accounts_at_start", role: .measure, format: .count),
                    ResultColumn(name: measure.name, role: .measure, format: valueFormat)]
        var rows: [[ResultValue]] = []
        for cohort in cohorts {
            let observed = min(months, dataLast - cohort.latestStart)
            guard observed >= 0 else { continue }
            for k in 0...observed {
                let value: ResultValue
                switch measure {
                case .logoRetention:
                    value = cohort.accounts > 0 ? .double(cohort.active[k] / Double(cohort.accounts)) : .null
                case .revenueRetention:
                    value = cohort.startRevenue != 0 ? .double(cohort.revenueEnd[k] / cohort.startRevenue) : .null
                case .ratio:
                    value = cohort.numerator[k].flatMap { cohort.denominator[k] != 0 ? .double($0 / cohort.denominator[k]) : nil } ?? .null
                }
                var row: [ResultValue] = [.text(cohort.label)]
                if let split { row.append(split.dictionary.value(of: cohort.member).map(ResultValue.text) ?? .null) }
                row += [.integer(Int64(k)), .integer(Int64(cohort.accounts)), value]
                rows.append(row)
            }
        }
        let layout = CohortLayout(splitColumn: split == nil ? nil : 1, months: months)
        return QueryResult(columns: columns, rows: rows, presentation: .cohorts(layout))
    }

    private func measure(of expression: Expression) throws -> Measure {
        if case let .column(identifier) = expression.kind {
            switch identifier.normalized {
            case "logo_retention": return .logoRetention
            case "revenue_retention": return .revenueRetention
            default: break
            }
        }
        let parts: RatioParts
        do {
            parts = try engine.ratioParts(of: expression, for: "COHORT")
        } catch let error as QueryError {
            var refined = error
            refined.diagnostic.hint = "COHORT takes logo_retention, revenue_retention or a ratio measure: " + engine.ratioMeasureNames.joined(separator: ", ")
            throw refined
        }
        let format: ResultColumn.Format
        switch parts.definition?.format {
        case .money?: format = .money
        case .number?, .count?: format = .number
        default: format = .percent
        }
        return .ratio(parts, name: parts.definition?.name ?? expression.description, format: format)
    }

    /// A fact column the measure needs, by name; an error says which is missing.
    private func factColumn(_ name: String, for measure: Measure, at range: SourceRange) throws -> String {
        try engine.requireFact(name, for: measure.name, at: range)
        return name
    }

    private func scan(_ filter: RowPredicate?, keys: [GroupAttribute], specs: [AggregateSpec],
                      cancellation: Cancellation) throws -> (GroupedAggregation, ScanStatistics) {
        try AggregationScan(store: engine.cube.store, catalog: engine.catalog, filter: filter, keyAttributes: keys, specs: specs)
            .run(cancellation: cancellation)
    }
}
