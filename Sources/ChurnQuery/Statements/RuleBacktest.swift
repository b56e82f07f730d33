import ChurnModel
import ChurnStorage
import ChurnSyntax

/// BACKTEST WHEN condition HORIZON n: does a condition on account-months predict churn?
///
/// An account-month (a, t) is evaluated when the data holds the n months after t (t + n is at
/// most the data's last month), a is active in t (`churned = 0`) and the row names its account;
/// its outcome is 1 when a has
/// `churned = 1` in one of t+1…t+n; it is flagged when the condition holds on it.
///
/// Three grouped scans, none by account-month: the churn months of every account (over all the
/// data: an outcome does not depend on WHERE); then, keyed by a class derived from the account
/// (the set of its churn months) and the month, the evaluated rows and the flagged rows with
/// their MRR. Whether a group's rows have the outcome follows from its class and month.
struct RuleBacktest {
    let engine: QueryEngine

    static let defaultHorizon = 3

    /// Counts of one period (or of all), for one member of BY.
    struct Tally {
        var evaluated = 0
        var evaluatedWithOutcome = 0
        var flagged = 0
        var flaggedWithOutcome = 0
        var flaggedWithOutcomeMRR: Int128 = 0

        mutating func add(_ other: Tally) {
            evaluated += other.evaluated
            evaluatedWithOutcome += other.evaluatedWithOutcome
            flagged += other.flagged
            flaggedWithOutcome += other.flaggedWithOutcome
            flaggedWithOutcomeMRR += other.flaggedWithOutcomeMRR
        }
    }

    func run(_ statement: BacktestStatement, cancellation: Cancellation) throws -> QueryResult {
        let catalog = engine.catalog
        if let cube = statement.cube, cube.normalized != engine.cube.name.lowercased() {
            throw QueryError("unknown cube '\(cube.name)'", at: cube.range, hint: "the open cube is '\(engine.cube.name)'")
        }
        guard let axis = TimeAxis(catalog: catalog) else {
            throw QueryError("BACKTEST follows accounts month by month; cube '\(engine.cube.name)' has no dimension of months", at: statement.range)
        }
        guard let account = catalog.attribute(named: "account_id"), account.codeMap == nil else {
            throw QueryError("BACKTEST follows accounts; cube '\(engine.cube.name)' has no account_id dimension", at: statement.range)
        }
        for fact in ["churned", "mrr_start"] where !{ if case .fact? = catalog.resolve(fact) { return true } else { return false } }() {
            throw QueryError("BACKTEST needs the fact column '\(fact)', which cube '\(engine.cube.name)' does not have", at: statement.range)
        }
        let months = axis.monthIndex.compactMap { $0 }
        guard let firstMonth = months.min(), let lastMonth = months.max() else {
            throw QueryError("the cube has no months", at: statement.range)
        }
        let horizon = statement.horizon ?? Self.defaultHorizon
        guard horizon >= 1, horizon <= lastMonth - firstMonth else {
            throw QueryError("HORIZON \(horizon) does not fit the data: its months run from \(TimeAxis.label(of: firstMonth)) to "
                             + "\(TimeAxis.label(of: lastMonth)), so a horizon is 1 to \(max(1, lastMonth - firstMonth)) months", at: statement.range)
        }
        var split: GroupAttribute?
        if let by = statement.by {
            guard let attribute = catalog.attribute(named: by.name) else { throw catalog.unknownName(by, expected: "dimension") }
            guard attribute.column != account.column, attribute.column != axis.month.column else {
                throw QueryError("BACKTEST reports by period already; BY takes a dimension such as segment", at: by.range)
            }
            split = attribute
        }

        var binder = PredicateBinder(catalog: catalog)
        let condition = try binder.bind(statement.condition)
        let filter = try statement.filter.map { try binder.bind($0) }
        // Rows without an account cannot be followed: they are not evaluated.
        let active = RowPredicate.and([try binder.bind(.binary(.equal, .column("churned"), .integer(0))),
                                       try binder.bind(.isNull(.column(account.name), negated: true))])
        let churnedRows = try binder.bind(.binary(.equal, .column("churned"), .integer(1)))

        // The churn months of every account, then a class per distinct set of them.
        let churns = try scan(churnedRows, keys: [account, axis.month], specs: [], cancellation: cancellation)
        var churnMonths = [[Int]](repeating: [], count: account.codeCount)
        for slot in churns.occupiedSlots {
            let key = churns.key(ofSlot: slot)
            let code = Int(churns.code(ofKey: key, at: 0))
            if let month = axis.monthIndex[Int(churns.code(ofKey: key, at: 1))] { churnMonths[code].append(month) }
        }
        var classes: [[Int]] = [[]]
        var classOf: [[Int]: UInt32] = [[]: 0]
        var accountClass = [UInt32](repeating: 0, count: account.codeCount)
        for code in 1..<max(1, account.codeCount) where !churnMonths[code].isEmpty {
            let set = churnMonths[code].sorted()
            if let known = classOf[set] { accountClass[code] = known; continue }
            classOf[set] = UInt32(classes.count)
            accountClass[code] = UInt32(classes.count)
            classes.append(set)
        }
        var labels = ValueDictionary()
        for index in 1..<max(2, classes.count) { _ = labels.intern(String(index)) }
        let classKey = GroupAttribute(name: "churn months of \(account.name)", column: account.column, dictionary: labels,
                                      codeMap: accountClass, kind: .text)

        // Evaluated and flagged rows by (class, month[, member]).
        let evaluatedFilter = filter.map { RowPredicate.and([$0, active]) } ?? active
        let keys = [classKey, axis.month] + (split.map { [$0] } ?? [])
        let evaluated = try scan(evaluatedFilter, keys: keys, specs: [], cancellation: cancellation)
        let mrr = try SelectBinder(catalog: catalog).bindRow(.column("mrr_start"), function: "SUM")
        let flagged = try scan(.and([evaluatedFilter, condition]), keys: keys, specs: [.sum(mrr)], cancellation: cancellation)
        let mrrSums = flagged.aggregates[0] as? ExactSumAggregate

        var tallies: [UInt32: [Int: Tally]] = [:]
        func fold(_ table: GroupedAggregation, _ body: (inout Tally, _ rows: Int, _ outcome: Bool, _ slot: Int) -> Void) {
            for slot in table.occupiedSlots {
                let key = table.key(ofSlot: slot)
                guard let month = axis.monthIndex[Int(table.code(ofKey: key, at: 1))], month + horizon <= lastMonth else { continue }
                let churnSet = classes[Int(table.code(ofKey: key, at: 0))]
                let outcome = churnSet.contains { $0 > month && $0 <= month + horizon }
                let member = split == nil ? 0 : table.code(ofKey: key, at: 2)
                body(&tallies[member, default: [:]][month, default: Tally()], Int(table.rows[slot]), outcome, slot)
            }
        }
        fold(evaluated) { tally, rows, outcome, _ in
            tally.evaluated += rows
            if outcome { tally.evaluatedWithOutcome += rows }
        }
        fold(flagged) { tally, rows, outcome, slot in
            tally.flagged += rows
            if outcome {
                tally.flaggedWithOutcome += rows
                tally.flaggedWithOutcomeMRR += mrrSums?.exactSum(slot: slot) ?? 0
            }
        }

        var columns = [ResultColumn(name: "period", role: .dimension, format: .text)]
        if let split { columns.append(ResultColumn(name: split.name, role: .dimension, format: .text)) }
        columns += [
            ResultColumn(name: "evaluated", role: .measure, format: .count),
            ResultColumn(name: "flagged", role: .measure, format: .count),
            ResultColumn(name: "precision", role: .measure, format: .percent),
            ResultColumn(name: "base_rate", role: .measure, format: .percent),
            ResultColumn(name: "lift", role: .measure, format: .number),
            ResultColumn(name: "recall", role: .measure, format: .percent),
            ResultColumn(name: "mrr_flagged_churned", role: .measure, format: .money),
            ResultColumn(name: "lift_low", role: .measure, format: .number),
            ResultColumn(name: "lift_high", role: .measure, format: .number),
            ResultColumn(name: "lift_p", role: .measure, format: .significance),
        ]
        let members = tallies.keys.sorted { lhs, rhs in
            guard let split else { return false }
            if lhs == 0 || rhs == 0 { return rhs == 0 && lhs != 0 }
            return split.sortRanks[Int(lhs)] < split.sortRanks[Int(rhs)]
        }
        var rows: [[ResultValue]] = []
        var grand = Tally()
        for member in members {
            let byMonth = tallies[member]!
            var total = Tally()
            for month in byMonth.keys.sorted() {
                total.add(byMonth[month]!)
                rows.append(row(.text(TimeAxis.label(of: month)), member: member, split: split, byMonth[month]!))
            }
            grand.add(total)
            rows.append(row(.null, member: member, split: split, total))
        }
        if split != nil, members.count > 1 { rows.append(row(.null, member: nil, split: split, grand)) }
        var result = QueryResult(columns: columns, rows: rows)
        result.text = "BACKTEST WHEN \(statement.condition): an active account-month is flagged when the condition holds; its outcome is a churn "
            + "in the \(horizon) month\(horizon == 1 ? "" : "s") after it; months up to \(TimeAxis.label(of: lastMonth - horizon)) evaluated"
            + "; lift = precision / base rate, its 95% interval and p from the flagged against the unflagged"
        result.warnings = binder.warnings
        return result
    }

    private func row(_ period: ResultValue, member: UInt32?, split: GroupAttribute?, _ tally: Tally) -> [ResultValue] {
        func ratio(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }
        let precision = ratio(tally.flaggedWithOutcome, tally.flagged)
        let base = ratio(tally.evaluatedWithOutcome, tally.evaluated)
        let lift = precision.flatMap { p in base.flatMap { $0 > 0 ? p / $0 : nil } }
        let interval = Self.liftInterval(tally)
        var values: [ResultValue] = [period]
        if let split {
            values.append(member.map { split.dictionary.value(of: $0).map(ResultValue.text) ?? .null } ?? .subtotal)
        }
        func double(_ value: Double?) -> ResultValue { value.map(ResultValue.double) ?? .null }
        let mrr = Int64(exactly: tally.flaggedWithOutcomeMRR).map { ResultValue.decimal(units: $0, scale: 2) } ?? .double(Double(tally.flaggedWithOutcomeMRR) / 100)
        values += [.integer(Int64(tally.evaluated)), .integer(Int64(tally.flagged)), double(precision), double(base), double(lift),
                   double(ratio(tally.flaggedWithOutcome, tally.evaluatedWithOutcome)), mrr,
                   double(interval?.low), double(interval?.high), double(interval?.p)]
        return values
    }

    /// The lift's 95% interval and p: the relative risk of the flagged against the unflagged
    /// (log scale, normal), mapped to lift = RR / (w·RR + 1 − w) with w the flagged share.
    static func liftInterval(_ tally: Tally) -> (low: Double, high: Double, p: Double)? {
        let flagged = Double(tally.flagged), others = Double(tally.evaluated - tally.flagged)
        let hits = Double(tally.flaggedWithOutcome), otherHits = Double(tally.evaluatedWithOutcome - tally.flaggedWithOutcome)
        guard flagged > 0, others > 0, hits > 0, otherHits > 0 else { return nil }
        let logRisk = log((hits / flagged) / (otherHits / others))
        let error = (1 / hits - 1 / flagged + 1 / otherHits - 1 / others).squareRoot()
        guard error > 0 else { return nil }
        let share = flagged / (flagged + others)
        func lift(_ logRR: Double) -> Double { let rr = exp(logRR); return rr / (share * rr + 1 - share) }
        let z = logRisk / error
        return (lift(logRisk - 1.959963984540054 * error), lift(logRisk + 1.959963984540054 * error), erfc(abs(z) / 2.0.squareRoot()))
    }

    private func scan(_ filter: RowPredicate?, keys: [GroupAttribute], specs: [AggregateSpec], cancellation: Cancellation) throws -> GroupedAggregation {
        let (aggregation, _) = try AggregationScan(store: engine.cube.store, catalog: engine.catalog, filter: filter, keyAttributes: keys,
                                                   specs: specs).run(cancellation: cancellation)
        try aggregation.checkRepresentable()
        return aggregation
    }
}

import Foundation
