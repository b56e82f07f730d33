import ChurnModel
import ChurnStorage
import ChurnSyntax

/// HEALTH <numeric score> HORIZON n: does a number predict churn? The score of an evaluated
/// account-month (`ChurnOutcomes`) is a fact column's value, or a ratio measure's per-row ratio
/// (numerator / denominator of the one row, NULL when the denominator is 0 or a part is NULL).
///
/// - Bands: the quintiles of the N evaluated rows with a score, sorted v_1..v_N: cut points
///   c_k = v_ceil(k·N/5), k = 1..4; band 1 holds scores <= c_1, band k (c_{k-1}, c_k], band 5
///   > c_4. Bands left empty by ties are not shown; NULL scores form a band after them, outside
///   the cut points and the AUC. Each band: outcome rate and lift against all evaluated rows, as
///   for a dimension's bands.
/// - AUC over the exact scores: P(score of a churned row > score of an unchurned one) plus half
///   the ties ("higher is riskier"; the `auc` detail). The caption names the direction the data
///   shows (for "lower churns more" it gives 1 - AUC); `ordered` says whether the band rates
///   move strictly that way.
///
/// One parallel pass over the row groups: each worker counts (evaluated, churned) per distinct
/// score; the merged counts, sorted, give the cut points, the bands and the AUC exactly.
struct NumericScoreValidation {
    let engine: QueryEngine

    /// What HEALTH reads per row.
    struct Score {
        var name: String
        var expression: RowExpression
    }

    /// The numeric score a name gives: a fact column, or a ratio measure's per-row ratio; nil for
    /// a dimension. Anything else is refused, saying what HEALTH takes.
    static func score(named identifier: Identifier, engine: QueryEngine) throws -> Score? {
        let catalog = engine.catalog
        let accepted = { "HEALTH takes a dimension (bands such as green, yellow, red), a numeric column, or a ratio of sums, scored per account-month: "
            + healthMeasureNames(engine).joined(separator: ", ") }
        switch catalog.resolve(identifier.name) {
        case .attribute?:
            return nil
        case let .fact(column, fact)?:
            return Score(name: fact.name, expression: .column(column, name: fact.name, type: fact.type))
        case let .measure(definition, formula)?:
            if case let .semiAdditive(over) = definition.additivity {
                throw QueryError("'\(definition.name)' is semi-additive (a level over \(over)), not a ratio of sums", at: identifier.range, hint: accepted())
            }
            if let averaged = averagedColumn(formula) {
                throw QueryError("'\(definition.name)' (\(formula)) is an average; scored per account-month it is its column: HEALTH \(averaged)",
                                 at: identifier.range, hint: accepted())
            }
            guard let parts = try? engine.ratioParts(of: Expression(.column(identifier)), for: "HEALTH") else {
                throw QueryError("'\(definition.name)' (\(formula)) is not a ratio of sums", at: identifier.range, hint: accepted())
            }
            return Score(name: definition.name, expression: .arithmetic(.divide, parts.numerator, parts.denominator))
        case .hierarchy?:
            throw QueryError("'\(identifier.name)' is a hierarchy, not one score", at: identifier.range, hint: accepted())
        case nil:
            throw catalog.unknownName(identifier, expected: "dimension, numeric column or ratio measure")
        }
    }

    /// The named measures HEALTH scores: ratios of sums, not averages (whose per-row ratio is just a column).
    static func healthMeasureNames(_ engine: QueryEngine) -> [String] {
        engine.ratioMeasureNames.filter { name in
            guard case let .measure(_, formula)? = engine.catalog.resolve(name) else { return false }
            return averagedColumn(formula) == nil
        }
    }

    /// `x` of a formula `AVG(x)`.
    private static func averagedColumn(_ formula: ChurnSyntax.Expression) -> String? {
        guard case let .function(call) = formula.kind, call.name.normalized == "avg", call.argumentList.count == 1 else { return nil }
        return call.argumentList[0].description
    }

    func run(_ score: Score, _ statement: HealthStatement, cancellation: Cancellation) throws -> QueryResult {
        var binder = PredicateBinder(catalog: engine.catalog)
        let filter = try statement.filter.map { try binder.bind($0) }
        let outcomes = try ChurnOutcomes(engine: engine, statement: "HEALTH", horizon: statement.horizon, filter: filter, binder: &binder,
                                         at: statement.range, cancellation: cancellation)
        let histogram: ScoreHistogramScan.Histogram
        if let connection = engine.catalog.connection, let outcomeColumn = outcomes.outcomeColumn {
            histogram = try RemoteScoreHistogram(connection: connection, catalog: outcomes.engine.catalog, filter: outcomes.evaluatedFilter,
                                                 score: score.expression, outcomeColumn: outcomeColumn).run(cancellation: cancellation)
        } else {
            histogram = try ScoreHistogramScan(store: engine.cube.store, filter: outcomes.evaluatedFilter, score: score.expression,
                                               outcomes: outcomes.rowOutcomes()).run(cancellation: cancellation)
        }
        let keys = histogram.scores.keys.sorted()
        let tallies = keys.map { histogram.scores[$0]! }
        let bands = Self.quintileBands(keys: keys, tallies: tallies, format: ScoreKey(score.expression))
        var all = histogram.nullScores
        for tally in tallies { all.add(tally) }
        let total = RuleBacktest.Tally(evaluated: all.evaluated, evaluatedWithOutcome: all.positive)
        let base = all.evaluated > 0 ? Double(all.positive) / Double(all.evaluated) : nil

        let auc = Self.areaUnderCurve(tallies)
        let higherIsRiskier = (auc ?? 0.5) >= 0.5
        let rates = bands.map { Double($0.tally.positive) / Double($0.tally.evaluated) }
        let firstOutOfOrder = rates.indices.dropFirst().first { higherIsRiskier ? rates[$0] <= rates[$0 - 1] : rates[$0] >= rates[$0 - 1] }

        func row(_ label: ResultValue, _ tally: ScoreHistogramScan.Tally) -> [ResultValue] {
            HealthValidation.bandRow(label, tally.evaluated, tally.positive, total: total, base: base)
        }
        var rows = bands.map { row(.text($0.label), $0.tally) }
        if histogram.nullScores.evaluated > 0 { rows.append(row(.null, histogram.nullScores)) }
        rows.append(row(.subtotal, all))

        var caption = "\(score.name) against a churn within \(outcomes.horizon) month\(outcomes.horizon == 1 ? "" : "s") of an active account-month"
            + " (months up to \(TimeAxis.label(of: outcomes.lastMonth - outcomes.horizon))), in quintiles: "
        if let auc {
            caption += "\(higherIsRiskier ? "higher" : "lower") \(score.name) churns more, AUC \(String(format: "%.3f", higherIsRiskier ? auc : 1 - auc)); "
        } else {
            caption += "no AUC (it needs account-months with and without the outcome); "
        }
        if let firstOutOfOrder {
            caption += "bands not ordered (\(bands[firstOutOfOrder].label) does not churn \(higherIsRiskier ? "more" : "less") than "
                + "\(bands[firstOutOfOrder - 1].label))"
        } else {
            caption += "bands ordered"
        }
        var result = QueryResult(columns: HealthValidation.columns(score: score.name), rows: rows, text: caption,
                                 presentation: .ranked(barColumn: 3), details: [
                                     ResultDetail(name: "auc", value: auc.map(ResultValue.double) ?? .null),
                                     ResultDetail(name: "ordered", value: .boolean(firstOutOfOrder == nil)),
                                 ])
        result.warnings = binder.warnings
        return result
    }

    /// The quintile bands of the scores `keys` (ascending, distinct) with their counts: cut point
    /// c_k is the first score whose cumulative count reaches ceil(k·N/5); bands that ties leave
    /// empty are dropped.
    static func quintileBands(keys: [Int64], tallies: [ScoreHistogramScan.Tally], format: ScoreKey)
        -> [(label: String, tally: ScoreHistogramScan.Tally)] {
        let scored = tallies.reduce(0) { $0 + $1.evaluated }
        guard scored > 0 else { return [] }
        // The position in `keys` of each cut point.
        var cuts: [Int] = []
        var cumulative = 0, position = 0
        for k in 1...4 {
            let target = (k * scored + 4) / 5
            while cumulative + tallies[position].evaluated < target {
                cumulative += tallies[position].evaluated
                position += 1
            }
            cuts.append(position)
        }
        let cut = cuts.map { format.text(keys[$0]) }
        // Band k holds the positions after the previous cut point up to its own (the last: to the end).
        let ends = [-1] + cuts + [keys.count - 1]
        var bands: [(label: String, tally: ScoreHistogramScan.Tally)] = []
        for band in 0..<5 where ends[band + 1] > ends[band] {
            var tally = ScoreHistogramScan.Tally()
            for position in (ends[band] + 1)...ends[band + 1] { tally.add(tallies[position]) }
            let label = band == 0 ? "<= \(cut[0])" : band == 4 ? "> \(cut[3])" : "(\(cut[band - 1]), \(cut[band])]"
            bands.append((label, tally))
        }
        return bands
    }

    /// P(score of a row with the outcome > score of one without) + half the ties, over distinct
    /// scores in ascending order: each row with the outcome beats the rows without it below its
    /// score. Counted exactly in integers (twice, for the halves); nil without both kinds of rows.
    static func areaUnderCurve(_ tallies: [ScoreHistogramScan.Tally]) -> Double? {
        var twiceConcordant: Int128 = 0, negativesBelow = 0, positives = 0
        for tally in tallies {
            let negatives = tally.evaluated - tally.positive
            twiceConcordant += Int128(tally.positive) * Int128(2 * negativesBelow + negatives)
            negativesBelow += negatives
            positives += tally.positive
        }
        let pairs = Int128(positives) * Int128(negativesBelow)
        return pairs > 0 ? Double(twiceConcordant) / Double(2 * pairs) : nil
    }
}

import Foundation
