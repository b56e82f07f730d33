import ChurnStorage
import ChurnSyntax

/// PARETO measure BY dimension: how much of a measure the largest members hold.
///
/// One grouped scan gives each member's value, as the SELECT of the measure by the dimension
/// would (a semi-additive measure such as `mrr` takes each member's latest month in the slice,
/// as everywhere; sums otherwise). Members are ranked by
/// value, largest first (ties by member, byte order); NULL members and NULL values are left out
/// and counted in the caption. The rows are the cut points: the top 1%, 5%, 10% and 20% of the
/// members (rounded up), the fewest members holding 80%, and all; each with its share of the
/// total and the member at the cut. The Gini coefficient of the values is a detail and in the
/// caption, with the Lorenz curve in deciles.
struct ParetoCurve {
    let engine: QueryEngine

    /// The top cuts, in percent of the members (rounded up to whole members).
    static let topPercents = [1, 5, 10, 20]
    static let heldShare = 0.8

    func run(_ statement: ParetoStatement, cancellation: Cancellation) throws -> QueryResult {
        let dimension = statement.by ?? Identifier("account_id")
        guard engine.catalog.attribute(named: dimension.name) != nil else {
            throw engine.catalog.unknownName(dimension, expected: "dimension")
        }
        if case let .column(name) = statement.measure.kind, case .attribute? = engine.catalog.resolve(name.name) {
            throw QueryError("PARETO takes a numeric measure, such as mrr or SUM(mrr_start); '\(name.name)' is a dimension",
                             at: statement.measure.range)
        }
        let select = SelectStatement(items: [.expression(.column(dimension.name)), .expression(statement.measure)],
                                     cube: statement.cube, filter: statement.filter,
                                     groupBy: [GroupingElement(.expression(.column(dimension.name)))])
        // The grouped scan alone: each member's value comes from its slot, and only the members at
        // the cuts are named, so half a million accounts cost no result rows.
        var binder = SelectBinder(catalog: engine.catalog)
        guard case let .aggregate(query) = try binder.bind(select), query.outputs.count == 2, query.keys.count == 1 else {
            throw QueryError("PARETO takes one numeric measure, such as mrr or SUM(mrr_start)", at: statement.measure.range)
        }
        let valueColumn = query.outputs[1].column
        guard valueColumn.role == .measure, valueColumn.format != .text else {
            throw QueryError("PARETO takes one numeric measure, such as mrr or SUM(mrr_start)", at: statement.measure.range)
        }
        let attribute = engine.catalog.attributes[query.keys[0]]
        let scan = AggregationScan(store: engine.cube.store, catalog: engine.catalog, filter: query.filter,
                                   keyAttributes: [attribute], specs: query.aggregates)
        let (finest, _) = try scan.run(cancellation: cancellation)
        try finest.checkRepresentable()
        let evaluator = OutputEvaluator(catalog: engine.catalog, keys: query.keys, specs: query.aggregates)
        var codes: [UInt32] = [], values: [ResultValue] = [], numbers: [Double] = []
        var nullMembers = 0, nullValues = 0, negatives = 0
        for slot in finest.occupiedSlots {
            let code = finest.code(ofKey: finest.key(ofSlot: slot), at: 0)
            guard code != 0 else { nullMembers += 1; continue }
            let value = evaluator.evaluate(query.outputs[1].expression, row: GroupRow(aggregation: finest, slot: slot, setPositions: [0]))
            guard let number = value.doubleValue, number.isFinite else { nullValues += 1; continue }
            if number < 0 { negatives += 1 }
            codes.append(code)
            values.append(value)
            numbers.append(number)
        }
        let ranks = attribute.sortRanks
        // Sorted as (value, member rank, position) keys: no closure reads the arrays per comparison.
        var keys = numbers.indices.map { (value: numbers[$0], rank: ranks[Int(codes[$0])], index: Int32($0)) }
        keys.sort { $0.value != $1.value ? $0.value > $1.value : $0.rank < $1.rank }
        let order = keys.map { Int($0.index) }
        let members = order.map { (code: codes[$0], value: values[$0], number: numbers[$0]) }
        func label(_ code: UInt32) -> String { attribute.dictionary.value(of: code) ?? "" }
        let count = members.count
        var cumulative = [Double](repeating: 0, count: count + 1)
        for (index, member) in members.enumerated() { cumulative[index + 1] = cumulative[index] + member.number }
        let total = cumulative[count]

        let columns = [
            ResultColumn(name: "cut", role: .dimension, format: .text),
            ResultColumn(name: "members", role: .measure, format: .count),
            ResultColumn(name: "share_of_members", role: .measure, format: .percent),
            ResultColumn(name: "share", role: .measure, format: .percent),
            ResultColumn(name: "\(dimension.name)_at_cut", role: .dimension, format: .text),
            ResultColumn(name: "value_at_cut", role: .measure, format: valueColumn.format, unit: valueColumn.unit),
        ]
        func row(_ cut: String, _ top: Int) -> [ResultValue] {
            guard top > 0 else { return [.text(cut), .integer(0), .double(0), .double(0), .null, .null] }
            let share: ResultValue = total > 0 ? .double(cumulative[top] / total) : .null
            return [.text(cut), .integer(Int64(top)), .double(Double(top) / Double(count)), share,
                    .text(label(members[top - 1].code)), members[top - 1].value]
        }
        var rows: [[ResultValue]] = []
        if count > 0 {
            for percent in Self.topPercents {
                rows.append(row("top \(percent)%", (count * percent + 99) / 100))
            }
            if total > 0 {
                let needed = Self.heldShare * total
                var holders = 1
                while holders < count && cumulative[holders] < needed * (1 - 1e-12) { holders += 1 }
                rows.append(row("hold \(Int(Self.heldShare * 100))%", holders))
            }
            rows.append(row("all", count))
        }
        let gini = Self.gini(members.map(\.number).reversed())
        var caption = "\(valueColumn.name) over \(Thousands.grouped(count)) \(dimension.name) member\(count == 1 ? "" : "s")"
        if let gini { caption += String(format: "; Gini %.3f", gini) }
        if total > 0 {
            let deciles = (1...10).map { decile -> String in
                let top = (count * decile + 9) / 10
                return String(format: "%.0f%%", 100 * cumulative[max(0, min(count, top))] / total)
            }
            caption += "; held by the top tenth, two tenths, ...: " + deciles.joined(separator: " ")
        }
        if nullMembers > 0 { caption += "; the NULL member left out" }
        if nullValues > 0 { caption += "; \(Thousands.grouped(nullValues)) member\(nullValues == 1 ? "" : "s") without a value left out" }
        if negatives > 0 { caption += "; \(Thousands.grouped(negatives)) negative value\(negatives == 1 ? "" : "s") (shares may pass 100%)" }
        var result = QueryResult(columns: columns, rows: rows, text: caption, presentation: .ranked(barColumn: 3),
                                 details: [ResultDetail(name: "gini", value: gini.map(ResultValue.double) ?? .null),
                                           ResultDetail(name: "members", value: .integer(Int64(count)))])
        result.warnings = binder.warnings
        return result
    }

    /// The Gini coefficient of values in ascending order: Σ (2i − n − 1)·xᵢ / (n·Σx), i = 1…n;
    /// nil without a positive total.
    static func gini(_ ascending: [Double]) -> Double? {
        let n = Double(ascending.count)
        let total = ascending.reduce(0, +)
        guard total > 0 else { return nil }
        var weighted = 0.0
        for (index, value) in ascending.enumerated() { weighted += (2 * Double(index + 1) - n - 1) * value }
        return weighted / (n * total)
    }
}
