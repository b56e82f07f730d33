import ChurnSyntax

/// DRILL measure TO d1 = 'v1' AND d2 = 'v2' ...: the measure from the whole slice down to the
/// cell, one condition at a time, so an analyst sees at which step the deviation enters.
struct DrillPath {
    let engine: QueryEngine

    func run(_ drill: DrillStatement, cancellation: Cancellation) throws -> QueryResult {
        var conditions: [Expression] = drill.filter.map { [$0] } ?? []
        var rows: [[ResultValue]] = []
        var previous: ResultValue = .null
        let steps: [DrillStatement.Step?] = [nil] + drill.path.map { Optional($0) }
        var measureColumn = ResultColumn(name: drill.measure.description, role: .measure, format: .number)
        for step in steps {
            var label = "all rows"
            if let step {
                guard engine.catalog.attribute(named: step.dimension.name) != nil else {
                    throw engine.catalog.unknownName(step.dimension, expected: "dimension")
                }
                conditions.append(Expression(.binary(.equal, Expression(.column(step.dimension)), step.value), range: step.range))
                label = "\(step.dimension.name) = \(step.value)"
            }
            let filter = conditions.dropFirst().reduce(conditions.first) { combined, next in
                combined.map { Expression(.binary(.and, $0, next)) } ?? next
            }
            let select = SelectStatement(items: [.expression(drill.measure), .expression(.countStar())],
                                         cube: drill.cube, filter: filter)
            var profile = ExecutionProfile()
            let result = try engine.run(select, cancellation: cancellation, profile: &profile)
            measureColumn = result.columns[0]
            let value = result.rows.first?[0] ?? .null
            var change: ResultValue = .null
            if let now = value.doubleValue, let before = previous.doubleValue, before != 0 {
                change = .double(now / before - 1)
            }
            rows.append([.text(label), value, result.rows.first?[1] ?? .integer(0), change])
            previous = value
        }
        let columns = [
            ResultColumn(name: "step", role: .dimension, format: .text),
            ResultColumn(name: measureColumn.name, role: .measure, format: measureColumn.format),
            ResultColumn(name: "rows", role: .measure, format: .count),
            ResultColumn(name: "change", role: .measure, format: .percent),
        ]
        return QueryResult(columns: columns, rows: rows, presentation: .ranked(barColumn: 1))
    }
}
