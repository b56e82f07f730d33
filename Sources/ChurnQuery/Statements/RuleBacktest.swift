import ChurnModel
import ChurnStorage
import ChurnSyntax

/// BACKTEST WHEN condition HORIZON n: does a condition on account-months predict churn?
///
/// An account-month is evaluated and has an outcome as `ChurnOutcomes` says; it is flagged when
/// the condition holds on it. After the outcomes' own scan, two grouped scans by (churn class,
/// month[, member]): the evaluated rows, and the flagged rows with their MRR.
struct RuleBacktest {
    let engine: QueryEngine

    /// Counts of one period (or of all), for one member of BY.
    struct Tally {
        var evaluated = 0
        var evaluatedWithOutcome = 0
        var flagged = 0
        var flaggedWithOutcome = 0
        var flaggedWithOutcomeMRR: Int128 = 0

        init(evaluated: Int = 0, evaluatedWithOutcome: Int = 0, flagged: Int = 0, flaggedWithOutcome: Int = 0) {
            self.evaluated = evaluated
            self.evaluatedWithOutcome = evaluatedWithOutcome
            self.flagged = flagged
            self.flaggedWithOutcome = flaggedWithOutcome
        }

        mutating func add(_ other: Tally) {
            evaluated += other.evaluated
            evaluatedWithOutcome += other.evaluatedWithOutcome
            flagged += other.flagged
            flaggedWithOutcome += other.flaggedWithOutcome
            flaggedWithOutcomeMRR += other.flaggedWithOutcomeMRR
        }
    }

    func run(_ statement: BacktestStatement, cancellation: Cancellation) throws -> QueryResult {
        try engine.checkCube(statement.cube)
        try engine.requireFact("mrr_start", for: "BACKTEST", at: statement.range)
        var rule = try AccountRule.resolve(statement.rule, in: engine.cube.definition, statement: "BACKTEST", at: statement.range)[0]
        try rule.checked { try engine.checkHistory(rule.condition) }
        let history = try engine.resolvingHistory([rule.condition, statement.filter], for: "BACKTEST", cancellation: cancellation)
        rule.condition = history.expressions[0]!
        var result = try RuleBacktest(engine: history.engine).measure(rule, filter: history.expressions[1], statement: statement,
                                                                        cancellation: cancellation)
        result.warnings = history.warnings + result.warnings
        return result
    }

    private func measure(_ rule: AccountRule, filter: ChurnSyntax.Expression?, statement: BacktestStatement, cancellation: Cancellation) throws -> QueryResult {
        let catalog = engine.catalog
        var binder = PredicateBinder(catalog: catalog)
        let condition = try rule.checked { try binder.bind(rule.condition) }
        let filter = try filter.map { try binder.bind($0) }
        let outcomes = try ChurnOutcomes(engine: engine, statement: "BACKTEST", horizon: statement.horizon, filter: filter, binder: &binder,
                                         at: statement.range, cancellation: cancellation)
        var split: GroupAttribute?
        if let by = statement.by {
            guard let attribute = catalog.attribute(named: by.name) else { throw catalog.unknownName(by, expected: "dimension") }
            guard attribute.name.lowercased() != "account_id", attribute.column != outcomes.axis.month.column else {
                throw QueryError("BACKTEST reports by period already; BY takes a dimension such as segment", at: by.range)
            }
            split = attribute
        }
        let horizon = outcomes.horizon, lastMonth = outcomes.lastMonth

        // Evaluated and flagged rows by (class, month[, member]).
        let keys = split.map { [$0] } ?? []
        let evaluated = try outcomes.scan(nil, by: keys, specs: [], cancellation: cancellation)
        let mrr = try SelectBinder(catalog: catalog).bindRow(.column("mrr_start"), function: "SUM")
        let flagged = try outcomes.scan(condition, by: keys, specs: [.sum(mrr)], cancellation: cancellation)
        let mrrSums = flagged.aggregates[0] as? ExactSumAggregate
        // In memory the sums are 128-bit; a remote engine's come as values.
        func mrrUnits(_ slot: Int) -> Int128 {
            if let mrrSums { return mrrSums.exactSum(slot: slot) }
            switch flagged.value(0, slot: slot) {
            case let .decimal(units, _), let .integer(units): return Int128(units)
            default: return 0
            }
        }

        var tallies: [UInt32: [Int: Tally]] = [:]
        outcomes.forEachEvaluated(evaluated) { month, codes, rows, outcome, _ in
            var tally = tallies[codes.first ?? 0, default: [:]][month, default: Tally()]
            tally.evaluated += rows
            if outcome { tally.evaluatedWithOutcome += rows }
            tallies[codes.first ?? 0, default: [:]][month] = tally
        }
        outcomes.forEachEvaluated(flagged) { month, codes, rows, outcome, slot in
            var tally = tallies[codes.first ?? 0, default: [:]][month, default: Tally()]
            tally.flagged += rows
            if outcome {
                tally.flaggedWithOutcome += rows
                tally.flaggedWithOutcomeMRR += mrrUnits(slot)
            }
            tallies[codes.first ?? 0, default: [:]][month] = tally
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
        ] + Self.liftIntervalColumns
        let members = tallies.keys.sorted { lhs, rhs in split?.precedes(lhs, rhs) ?? false }
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
        result.text = "BACKTEST \(rule.label)" + (rule.says.isEmpty ? "" : " (\(rule.says))") + ": an active account-month is flagged when the condition holds; its outcome is a churn "
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
        var values: [ResultValue] = [period]
        if let split {
            values.append(member.map { split.dictionary.value(of: $0).map(ResultValue.text) ?? .null } ?? .subtotal)
        }
        func double(_ value: Double?) -> ResultValue { value.map(ResultValue.double) ?? .null }
        let mrr = Int64(exactly: tally.flaggedWithOutcomeMRR).map { ResultValue.decimal(units: $0, scale: 2) } ?? .double(Double(tally.flaggedWithOutcomeMRR) / 100)
        values += [.integer(Int64(tally.evaluated)), .integer(Int64(tally.flagged)), double(precision), double(base), double(lift),
                   double(ratio(tally.flaggedWithOutcome, tally.evaluatedWithOutcome)), mrr]
        return values + Self.liftIntervalValues(tally)
    }

    /// The columns of `liftInterval`, after a lift: BACKTEST's and HEALTH's.
    static let liftIntervalColumns = [
        ResultColumn(name: "lift_low", role: .measure, format: .number),
        ResultColumn(name: "lift_high", role: .measure, format: .number),
        ResultColumn(name: "lift_p", role: .measure, format: .significance),
    ]

    /// `liftInterval` of `tally` as the values of those columns, NULL where it is undefined.
    static func liftIntervalValues(_ tally: Tally) -> [ResultValue] {
        guard let interval = liftInterval(tally) else { return [.null, .null, .null] }
        return [.double(interval.low), .double(interval.high), .double(interval.p)]
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

}

import Foundation
