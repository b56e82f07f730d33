import ChurnSyntax

/// DRILL measure TO d1 = 'v1' AND d2 = 'v2' ...: the measure from the whole slice down to the
/// cell, one condition at a time, so an analyst sees at which step the deviation enters. Each
/// step's change on the one before is in percentage points for a rate (a difference of ratios),
/// relative for a count or an amount.
///
/// The steps are the grouping sets of ROLLUP(d1, d2, ...): one grouped scan answers them all,
/// the step's row being the group whose first keys are the path's values.
struct DrillPath {
    let engine: QueryEngine

    func run(_ drill: DrillStatement, cancellation: Cancellation) throws -> QueryResult {
        var seen: Set<String> = []
        for step in drill.path {
            guard engine.catalog.attribute(named: step.dimension.name) != nil else {
                throw engine.catalog.unknownName(step.dimension, expected: "dimension")
            }
            guard seen.insert(step.dimension.normalized).inserted else {
                throw QueryError("DRILL names '\(step.dimension.name)' twice; each step adds a condition on another dimension",
                                 at: step.range)
            }
        }
        let keys = drill.path.map { Expression(.column($0.dimension)) }
        let select = SelectStatement(items: keys.map { SelectItem.expression($0) } + [.expression(drill.measure), .expression(.countStar())],
                                     cube: drill.cube, filter: drill.filter,
                                     groupBy: keys.isEmpty ? [] : [GroupingElement(.rollup(keys))])
        var profile = ExecutionProfile()
        let result = try engine.run(select, cancellation: cancellation, profile: &profile)
        let depth = keys.count
        let measureColumn = result.columns[depth]

        // A rate changes by points (99.90% -> 101.12% is +1.22 points), anything else by a share of itself.
        let inPoints = measureColumn.format == .percent
        var rows: [[ResultValue]] = []
        var previous: ResultValue = .null
        for level in 0...depth {
            let wanted = drill.path.prefix(level).map(\.memberText)
            // The group of ROLLUP's set with the first `level` keys, at the path's values.
            let found = result.rows.first { row in
                (0..<depth).allSatisfy { position in
                    if position >= level { return row[position] == .subtotal }
                    if case let .text(member) = row[position] { return member == wanted[position] }
                    return false
                }
            }
            let label = level == 0 ? "all rows" : "\(drill.path[level - 1].dimension.name) = \(drill.path[level - 1].value)"
            let value = found?[depth] ?? .null
            var change: ResultValue = .null
            if let now = value.doubleValue, let before = previous.doubleValue {
                if inPoints {
                    change = .double(now - before)
                } else if before != 0 {
                    change = .double(now / before - 1)
                }
            }
            rows.append([.text(label), value, found?[depth + 1] ?? .integer(0), change])
            previous = value
        }
        let columns = [
            ResultColumn(name: "step", role: .dimension, format: .text),
            ResultColumn(name: measureColumn.name, role: .measure, format: measureColumn.format),
            ResultColumn(name: "rows", role: .measure, format: .count),
            ResultColumn(name: "change", role: .measure, format: inPoints ? .points : .percent),
        ]
        var drilled = QueryResult(columns: columns, rows: rows, presentation: .ranked(barColumn: 1))
        // A step on a value that is no member leads to no rows, as in WHERE.
        drilled.warnings = result.warnings + drill.path.compactMap { step in
            engine.catalog.attribute(named: step.dimension.name)?.missingMemberWarning(step.memberText, at: step.value.range)
        }
        return drilled
    }
}

extension DrillStatement.Step {
    /// The member the step names, as the dictionary holds it and the grouping shows it.
    package var memberText: String {
        switch value.kind {
        case let .string(text): return text
        case let .integer(number): return String(number)
        default: return value.description
        }
    }
}
