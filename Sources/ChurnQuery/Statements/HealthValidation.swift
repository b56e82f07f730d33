import ChurnStorage
import ChurnSyntax

/// HEALTH [dimension] HORIZON n: does a health score predict churn? Each band's outcome rate
/// (the outcome of `ChurnOutcomes`: a churn within n months of an active account-month), its
/// lift against the base rate with a 95% interval, whether the rates rise along the order the
/// bands claim, and the AUC of the ordered bands. A numeric score goes to `NumericScoreValidation`.
///
/// The claimed order: green, yellow, red for a stoplight; low, medium, high; otherwise the
/// members in ascending order, the last the riskiest. The AUC is the chance that an
/// account-month with the outcome sits in a riskier band than one without, ties counting half.
struct HealthValidation {
    let engine: QueryEngine

    /// Known orders of risk, safest first.
    static let knownOrders: [[String]] = [["green", "yellow", "red"], ["low", "medium", "high"]]

    func run(_ statement: HealthStatement, cancellation: Cancellation) throws -> QueryResult {
        let catalog = engine.catalog
        try engine.checkCube(statement.cube)
        let name = statement.score ?? Identifier("health")
        // Without a score named, HEALTH looks for the stoplight dimension only.
        if statement.score == nil, catalog.attribute(named: name.name) == nil { throw catalog.unknownName(name, expected: "dimension") }
        if let numeric = try NumericScoreValidation.score(named: name, engine: engine) {
            return try NumericScoreValidation(engine: engine).run(numeric, statement, cancellation: cancellation)
        }
        guard let score = catalog.attribute(named: name.name) else { throw catalog.unknownName(name, expected: "dimension") }
        guard score.codeCount - 1 <= 64 else {
            throw QueryError("'\(score.name)' has \(Thousands.grouped(score.codeCount - 1)) members; a score has at most 64 bands", at: name.range)
        }
        var binder = PredicateBinder(catalog: catalog)
        let filter = try statement.filter.map { try binder.bind($0) }
        let outcomes = try ChurnOutcomes(engine: engine, statement: "HEALTH", horizon: statement.horizon, filter: filter, binder: &binder,
                                         at: statement.range, cancellation: cancellation)
        let table = try outcomes.scan(nil, by: [score], specs: [], cancellation: cancellation)
        var evaluated = [Int](repeating: 0, count: score.codeCount), positive = [Int](repeating: 0, count: score.codeCount)
        outcomes.forEachEvaluated(table) { _, codes, rows, outcome, _ in
            evaluated[Int(codes[0])] += rows
            if outcome { positive[Int(codes[0])] += rows }
        }
        // The bands in their claimed order, safest first; NULL last, outside the order.
        let members = (1..<score.codeCount).filter { evaluated[$0] > 0 }
        let labels = members.map { score.dictionary.value(of: UInt32($0)) ?? "" }
        let known = Self.knownOrders.first { order in Set(labels.map { $0.lowercased() }).isSubset(of: Set(order)) && !labels.isEmpty }
        let ordered: [Int] = known.map { order in members.sorted { a, b in
            order.firstIndex(of: score.dictionary.value(of: UInt32(a))!.lowercased())! < order.firstIndex(of: score.dictionary.value(of: UInt32(b))!.lowercased())!
        } } ?? members.sorted { score.sortRanks[$0] < score.sortRanks[$1] }
        let totalEvaluated = evaluated.reduce(0, +), totalPositive = positive.reduce(0, +)
        let base = totalEvaluated > 0 ? Double(totalPositive) / Double(totalEvaluated) : nil

        let total = RuleBacktest.Tally(evaluated: totalEvaluated, evaluatedWithOutcome: totalPositive)
        var rows = ordered.map { Self.bandRow(score.dictionary.value(of: UInt32($0)).map(ResultValue.text) ?? .null, evaluated[$0], positive[$0],
                                              total: total, base: base) }
        if evaluated[0] > 0 { rows.append(Self.bandRow(.null, evaluated[0], positive[0], total: total, base: base)) }
        rows.append(Self.bandRow(.subtotal, totalEvaluated, totalPositive, total: total, base: base))

        // Rates along the claimed order, and the AUC of the ordered bands.
        let rates = ordered.map { Double(positive[$0]) / Double(evaluated[$0]) }
        let firstOutOfOrder = rates.indices.dropFirst().first { rates[$0] <= rates[$0 - 1] }
        let negatives = ordered.map { evaluated[$0] - positive[$0] }, positives = ordered.map { positive[$0] }
        var concordant = 0.0, safer = 0.0
        for (index, hits) in positives.enumerated() {
            concordant += Double(hits) * (safer + 0.5 * Double(negatives[index]))
            safer += Double(negatives[index])
        }
        let pairs = Double(positives.reduce(0, +)) * Double(negatives.reduce(0, +))
        let auc = pairs > 0 ? concordant / pairs : nil
        let order = ordered.map { score.dictionary.value(of: UInt32($0)) ?? "NULL" }.joined(separator: " < ")
        var caption = "\(score.name) against a churn within \(outcomes.horizon) month\(outcomes.horizon == 1 ? "" : "s") of an active account-month"
            + " (months up to \(TimeAxis.label(of: outcomes.lastMonth - outcomes.horizon))); claimed order \(order): "
        if let firstOutOfOrder {
            let names = ordered.map { score.dictionary.value(of: UInt32($0)) ?? "NULL" }
            caption += "not ordered (\(names[firstOutOfOrder]) does not churn more than \(names[firstOutOfOrder - 1]))"
        } else {
            caption += "ordered"
        }
        if let auc { caption += String(format: "; AUC %.3f", auc) }
        var result = QueryResult(columns: Self.columns(score: score.name), rows: rows, text: caption, presentation: .ranked(barColumn: 3), details: [
            ResultDetail(name: "auc", value: auc.map(ResultValue.double) ?? .null),
            ResultDetail(name: "ordered", value: .boolean(firstOutOfOrder == nil)),
        ])
        result.warnings = binder.warnings
        return result
    }

    /// The columns of HEALTH's bands, dimension or numeric: the band, then its counts, rate and lift.
    static func columns(score: String) -> [ResultColumn] {
        [
            ResultColumn(name: score, role: .dimension, format: .text),
            ResultColumn(name: "evaluated", role: .measure, format: .count),
            ResultColumn(name: "churned_within_horizon", role: .measure, format: .count),
            ResultColumn(name: "outcome_rate", role: .measure, format: .percent),
            ResultColumn(name: "lift", role: .measure, format: .number),
        ] + RuleBacktest.liftIntervalColumns
    }

    /// One band's row: `count` evaluated rows of which `hits` have the outcome, the rate, its lift
    /// against `base` (the rate of `total`) and the lift's interval, the band against the rest.
    static func bandRow(_ label: ResultValue, _ count: Int, _ hits: Int, total: RuleBacktest.Tally, base: Double?) -> [ResultValue] {
        let rate = count > 0 ? Double(hits) / Double(count) : nil
        let lift = rate.flatMap { rate in base.flatMap { $0 > 0 ? rate / $0 : nil } }
        let tally = RuleBacktest.Tally(evaluated: total.evaluated, evaluatedWithOutcome: total.evaluatedWithOutcome, flagged: count, flaggedWithOutcome: hits)
        return [label, .integer(Int64(count)), .integer(Int64(hits)), rate.map(ResultValue.double) ?? .null, lift.map(ResultValue.double) ?? .null]
            + RuleBacktest.liftIntervalValues(tally)
    }
}
