import Foundation

extension HotspotInput {
    /// The path from the whole slice to one cell, adding the conditions one at a time in the
    /// order given, so an analyst sees at which step the deviation enters. Each step is tested
    /// against the rest of the step before with the measure's test.
    package func drillPath(_ conditions: [HotspotCondition]) throws(HotspotError) -> [HotspotDrillStep] {
        for condition in conditions {
            guard condition.dimension >= 0, condition.dimension < dimensions.count else {
                throw .invalidOption("no dimension at position \(condition.dimension); there are \(dimensions.count)")
            }
            let dimension = dimensions[condition.dimension]
            guard Int(condition.code) < dimension.cardinality else {
                throw .codeOutOfRange(dimension: dimension.name, code: condition.code, cardinality: dimension.cardinality)
            }
        }
        var stepMoments = [Moments](repeating: .zero, count: conditions.count + 1)
        for (index, cell) in cells.enumerated() {
            guard cell.key.count == dimensions.count else {
                throw .keyLength(cell: index, found: cell.key.count, expected: dimensions.count)
            }
            stepMoments[0] += cell.moments
            for (step, condition) in conditions.enumerated() {
                guard cell.key[condition.dimension] == condition.code else { break }
                stepMoments[step + 1] += cell.moments
            }
        }

        let test = DeviationTest(kind: measure.kind)
        var steps: [HotspotDrillStep] = []
        for (step, moments) in stepMoments.enumerated() {
            let prefix = Array(conditions.prefix(step))
            let value = moments.ratio
            var change: Double?
            var z: Double?
            var pValue: Double?
            var reading = "\(measure.title) " + (value.map { ReadingFormat.value($0, format: measure.format) } ?? "NULL")
                + " for \(describe(prefix)); n = \(ReadingFormat.count(moments.rows))"
            if step > 0 {
                let previous = stepMoments[step - 1]
                if let value, let before = previous.ratio, before != 0 { change = value / before - 1 }
                if moments.y > 0 {
                    let statistic = test.zAgainstRest(cell: moments, population: previous)
                    z = statistic
                    pValue = DeviationTest.pValue(statistic, cell: moments)
                }
                let pText = pValue.map { $0 < 0.001 ? "p < 0.001" : "p = " + String(format: "%.3f", $0) } ?? "p n/a"
                reading += "; \(ReadingFormat.lift(change)) on \(describe(Array(conditions.prefix(step - 1)))) (\(pText))"
            }
            steps.append(
                HotspotDrillStep(
                    conditions: prefix, conditionText: describe(prefix), rows: moments.rows, support: moments.y,
                    numerator: moments.x, value: value, change: change, z: z, pValue: pValue, reading: reading))
        }
        return steps
    }
}
