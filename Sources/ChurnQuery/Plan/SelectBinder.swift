import ChurnModel
import ChurnStorage
import ChurnSyntax

/// A SELECT resolved against a cube: an aggregate query or a drill-through of fact rows.
enum BoundSelect {
    case aggregate(AggregateQuery)
    case drillThrough(DrillThroughQuery)
}

/// Resolves a parsed SELECT against the catalog: names to attributes, facts and measures
/// (measures expand to their formulas), GROUP BY to grouping sets, WHERE to code sets.
struct SelectBinder {
    let catalog: CubeCatalog
    private var keys: [Int] = []
    private var aggregates: [AggregateSpec] = []
    private var aggregateIndex: [AggregateSpec: Int] = [:]
    private var predicateBinder: PredicateBinder

    init(catalog: CubeCatalog) {
        self.catalog = catalog
        predicateBinder = PredicateBinder(catalog: catalog)
    }

    /// What the conditions bound so far match nothing for (values that are no members).
    var warnings: [Diagnostic] { predicateBinder.warnings }

    static let scalarFunctions: Set<String> = ["round", "abs", "coalesce", "nullif"]

    /// The most grouping sets one GROUP BY may make, as CUBE's 12 columns do.
    static let maximumGroupingSets = 4096

    static func unknownFunction(_ call: FunctionCall) -> QueryError {
        if HistoryCall.functionNames.contains(call.name.normalized) {
            // Statements that read history resolve these calls before binding.
            return QueryError("\(call.name.name)() reads an account's earlier rows; it works in SELECT, ALERTS and BACKTEST, "
                              + "not in this statement", at: call.name.range)
        }
        let known = Array(FunctionCall.aggregateNames) + Array(scalarFunctions) + ["grouping"]
        return QueryError("unknown function '\(call.name.name)'", at: call.name.range,
                          hint: closestMatch(to: call.name.normalized, among: known).map { "did you mean \($0.uppercased())?" })
    }

    /// Scalar functions, GROUPING and CASE compute on aggregated values; rows only take arithmetic.
    static func notOnRowValues(_ construct: String, example: String, function: String, at range: SourceRange) -> QueryError {
        let place: String
        switch function {
        case "WHERE": place = "in WHERE"
        case "SELECT": place = "in a drill-through column"
        case "ORDER BY": place = "in ORDER BY of a drill-through"
        default: place = "inside \(function)"
        }
        return QueryError("\(construct) is not supported on row values (\(place)); it applies to aggregates, e.g. \(example)", at: range)
    }

    mutating func bind(_ select: SelectStatement) throws -> BoundSelect {
        if let cube = select.cube, cube.normalized != catalog.cube.name.lowercased() {
            let hint = closestMatch(to: cube.name, among: [catalog.cube.name]).map { "did you mean '\($0)'?" }
                ?? "the open cube is '\(catalog.cube.name)'"
            throw QueryError("unknown cube '\(cube.name)'", at: cube.range, hint: hint)
        }
        let filter = try select.filter.map { try predicateBinder.bind($0) }
        var isAggregate = !select.groupBy.isEmpty
            || select.items.contains { item in
                if case let .expression(expression, _) = item.kind { return containsAggregate(expression) }
                return false
            }
            || select.having != nil
        let outputNames = Set(select.items.compactMap { $0.outputName?.lowercased() })
        let orderedByAggregate = select.orderBy.first { item in
            // A name of the select list sorts by that column, even when a measure is so named.
            if let name = item.expression.columnName, outputNames.contains(name.normalized) { return false }
            return containsAggregate(item.expression)
        }
        if !isAggregate, let ordered = orderedByAggregate {
            // As in DuckDB, an aggregate in ORDER BY makes an aggregate query (one row over the
            // whole filter); the select list must then hold no row values.
            let selectsRows = select.items.contains { item in
                guard case let .expression(expression, _) = item.kind else { return true }
                return expression.contains { $0.columnName != nil }
            }
            if selectsRows {
                throw QueryError("an aggregate in ORDER BY needs an aggregate query (GROUP BY or aggregates in SELECT)",
                                 at: ordered.expression.range)
            }
            isAggregate = true
        }
        guard isAggregate else { return .drillThrough(try bindDrillThrough(select, filter: filter)) }

        // MARK: Grouping sets
        // The items combine as a cross product: count it before building it.
        let elementSets = try select.groupBy.map { try self.groupingSets(of: $0, select: select) }
        var setCount = 1
        for element in elementSets {
            let (product, overflow) = setCount.multipliedReportingOverflow(by: element.count)
            setCount = overflow ? .max : product
        }
        if setCount > Self.maximumGroupingSets, let first = select.groupBy.first, let last = select.groupBy.last {
            let count = setCount == .max ? "more than \(Int.max)" : "\(setCount)"
            throw QueryError("GROUP BY makes \(count) grouping sets; at most \(Self.maximumGroupingSets)",
                             at: first.range.through(last.range))
        }
        var sets: [[Int]] = [[]]
        for element in elementSets {
            sets = sets.flatMap { prefix in element.map { prefix + $0 } }
        }
        var groupingSets: [[Int]] = []
        for set in sets {
            var positions: [Int] = []
            for attribute in set {
                let position = keys.firstIndex(of: attribute) ?? { keys.append(attribute); return keys.count - 1 }()
                if !positions.contains(position) { positions.append(position) }
            }
            groupingSets.append(positions)
        }

        // MARK: Outputs
        var outputs: [BoundOutput] = []
        for item in select.items {
            guard case let .expression(expression, alias) = item.kind else {
                throw QueryError("SELECT * cannot be combined with GROUP BY or aggregates; name the columns", at: item.range)
            }
            let bound = try bindOutput(expression)
            let name = alias?.name ?? item.outputName ?? expression.description
            outputs.append(BoundOutput(name: name, expression: bound, column: resultColumn(for: expression, bound: bound, name: name), hidden: false))
        }

        var having: OutputExpression?
        if let condition = select.having { having = try bindOutput(condition, aliases: outputs) }

        var order: [BoundOrder] = []
        for item in select.orderBy {
            let index = try orderTarget(item, outputs: &outputs, itemCount: select.items.count)
            order.append(BoundOrder(output: index, descending: item.direction == .descending,
                                    nullsFirst: item.nulls == .first))
        }
        return .aggregate(AggregateQuery(filter: filter, keys: keys, groupingSets: groupingSets, aggregates: aggregates,
                                         outputs: outputs, having: having, order: order, limit: select.limit,
                                         offset: select.offset ?? 0, isGlobal: select.groupBy.isEmpty))
    }

    // MARK: - GROUP BY

    private func groupingSets(of element: GroupingElement, select: SelectStatement) throws -> [[Int]] {
        switch element.kind {
        case let .expression(expression):
            return [try groupAttributes(expression, select: select)]
        case let .rollup(items):
            let attributes = try items.flatMap { try groupAttributes($0, select: select) }
            return (0...attributes.count).reversed().map { Array(attributes.prefix($0)) }
        case let .cube(items):
            let attributes = try items.flatMap { try groupAttributes($0, select: select) }
            let count = attributes.count
            guard count <= 12 else { throw QueryError("CUBE of \(count) columns makes \(1 << count) grouping sets; at most 12 columns", at: element.range) }
            // Finest set first, then by decreasing size, as ROLLUP does.
            let masks = (0..<(1 << count)).sorted { lhs, rhs in
                lhs.nonzeroBitCount != rhs.nonzeroBitCount ? lhs.nonzeroBitCount > rhs.nonzeroBitCount : lhs < rhs
            }
            return masks.map { mask in attributes.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element) }
        case let .groupingSets(sets):
            return try sets.map { set in try set.flatMap { try groupAttributes($0, select: select) } }
        }
    }

    /// The attributes one GROUP BY item names: a dimension or level, a hierarchy (all its
    /// levels), a select-list position or alias.
    private func groupAttributes(_ expression: Expression, select: SelectStatement) throws -> [Int] {
        if case let .integer(position) = expression.kind {
            guard position >= 1, position <= select.items.count,
                  case let .expression(item, _) = select.items[position - 1].kind else {
                throw QueryError("GROUP BY position \(position) is not in the select list (1...\(select.items.count))", at: expression.range)
            }
            return try groupAttributes(item, select: select)
        }
        guard case let .column(identifier) = expression.kind else {
            throw QueryError("GROUP BY takes dimensions, levels or hierarchies; '\(expression)' is an expression", at: expression.range)
        }
        switch catalog.resolve(identifier.name) {
        case let .attribute(attribute)?:
            return [catalog.attributes.firstIndex { $0 === attribute }!]
        case let .hierarchy(hierarchy)?:
            return try hierarchy.levels.map { level in
                guard let index = catalog.attributes.firstIndex(where: { $0.name.lowercased() == level.lowercased() }) else {
                    throw QueryError("hierarchy '\(hierarchy.name)' names '\(level)', which the cube does not store", at: identifier.range)
                }
                return index
            }
        case .fact?:
            throw QueryError("cannot group by '\(identifier.name)': it is a fact column (a number); group by dimensions", at: identifier.range)
        case .measure?:
            throw QueryError("cannot group by '\(identifier.name)': it is a measure", at: identifier.range)
        case nil:
            for item in select.items {
                if case let .expression(inner, alias?) = item.kind, alias == identifier { return try groupAttributes(inner, select: select) }
            }
            throw catalog.unknownName(identifier, expected: "dimension")
        }
    }

    // MARK: - Output expressions

    /// True when the expression holds an aggregate call or a named measure.
    private func containsAggregate(_ expression: Expression) -> Bool {
        expression.contains { node in
            switch node.kind {
            case let .column(identifier):
                if case .measure? = catalog.resolve(identifier.name) { return true }
                return false
            case let .function(call):
                return call.isAggregate
            default:
                return false
            }
        }
    }

    private mutating func addAggregate(_ spec: AggregateSpec) -> OutputExpression {
        if let index = aggregateIndex[spec] { return .aggregate(index) }
        aggregates.append(spec)
        aggregateIndex[spec] = aggregates.count - 1
        return .aggregate(aggregates.count - 1)
    }

    /// Binds an expression evaluated once per result row. `semiAdditiveOver` is set while
    /// expanding a semi-additive measure: its SUMs take the last value of that attribute.
    mutating func bindOutput(_ expression: Expression, aliases: [BoundOutput] = [], semiAdditiveOver: Int? = nil) throws -> OutputExpression {
        switch expression.kind {
        case let .column(identifier):
            let resolved = catalog.resolve(identifier.name)
            // An alias names an output unless the name is also a dimension or fact of the cube.
            if let output = aliases.first(where: { $0.name.lowercased() == identifier.normalized }) {
                switch resolved {
                case nil, .measure?: return output.expression
                default: break
                }
            }
            switch resolved {
            case let .attribute(attribute)?:
                let index = catalog.attributes.firstIndex { $0 === attribute }!
                guard let position = keys.firstIndex(of: index) else {
                    throw QueryError("'\(identifier.name)' must appear in GROUP BY or be used in an aggregate", at: identifier.range)
                }
                return .key(position)
            case let .measure(measure, formula)?:
                var over: Int? = nil
                if case let .semiAdditive(attributeName) = measure.additivity {
                    over = catalog.attributes.firstIndex { $0.name.lowercased() == attributeName.lowercased() }
                }
                return try bindOutput(formula, semiAdditiveOver: over)
            case .hierarchy?:
                throw QueryError("'\(identifier.name)' is a hierarchy: group by it, and select its levels", at: identifier.range)
            case .fact?:
                throw QueryError("'\(identifier.name)' is a fact column: aggregate it, e.g. SUM(\(identifier.name))", at: identifier.range)
            case nil:
                throw catalog.unknownName(identifier, expected: "column")
            }
        case let .integer(value): return .literal(.integer(Int64(value)))
        case let .decimal(value):
            // Exact when a short decimal writes it, so SUM(mrr_start) * 1.1 stays money as in DuckDB.
            if let (units, scale) = RowExpression.exactUnits(of: value) {
                return .literal(.exact(units: units, scale: scale))
            }
            return .literal(.double(value))
        case let .string(value): return .literal(.text(value))
        case let .boolean(value): return .literal(.boolean(value))
        case .null: return .literal(.null)
        case let .negate(inner): return .negate(try bindOutput(inner, aliases: aliases, semiAdditiveOver: semiAdditiveOver))
        case let .not(inner): return .not(try bindOutput(inner, aliases: aliases, semiAdditiveOver: semiAdditiveOver))
        case let .binary(op, _, _) where op == .and || op == .or:
            // A chain of thousands of conditions becomes one node, gathered by a loop.
            let operands = try expression.operands(of: op).map { try bindOutput($0, aliases: aliases, semiAdditiveOver: semiAdditiveOver) }
            return op == .and ? .and(operands) : .or(operands)
        case let .binary(op, left, right) where op.isComparison:
            let boundLeft = try bindOutput(left, aliases: aliases, semiAdditiveOver: semiAdditiveOver)
            let boundRight = try bindOutput(right, aliases: aliases, semiAdditiveOver: semiAdditiveOver)
            // A number compared with text is never true and always a mistake: '1.7%' for 0.017.
            if case let .string(text) = right.kind, let kind = numericKind(of: left, bound: boundLeft, aliases: aliases) {
                throw kind.comparedWithText(left.columnName?.name ?? "'\(left)'", text: text, at: right.range)
            }
            if case let .string(text) = left.kind, let kind = numericKind(of: right, bound: boundRight, aliases: aliases) {
                throw kind.comparedWithText(right.columnName?.name ?? "'\(right)'", text: text, at: left.range)
            }
            return .compare(op, boundLeft, boundRight)
        case .binary:
            // Arithmetic nests to the left (`a + b - c` is `(a + b) - c`): walk that spine in a
            // loop and keep the steps in order, so thousands of terms need no deep recursion.
            var steps: [(op: BinaryOperator, operand: Expression)] = []
            var first = expression
            while case let .binary(op, left, right) = first.kind, [.add, .subtract, .multiply, .divide].contains(op) {
                steps.append((op, right))
                first = left
            }
            let head = try bindOutput(first, aliases: aliases, semiAdditiveOver: semiAdditiveOver)
            let bound = try steps.reversed().map { step in
                (op: step.op, operand: try bindOutput(step.operand, aliases: aliases, semiAdditiveOver: semiAdditiveOver))
            }
            return .arithmetic(head, bound)
        case let .isNull(inner, negated):
            return .isNull(try bindOutput(inner, aliases: aliases, semiAdditiveOver: semiAdditiveOver), negated: negated)
        case let .inList(inner, items, negated):
            return .inList(try bindOutput(inner, aliases: aliases, semiAdditiveOver: semiAdditiveOver),
                           try items.map { try bindOutput($0, aliases: aliases, semiAdditiveOver: semiAdditiveOver) }, negated: negated)
        case let .between(inner, lower, upper, negated):
            let value = try bindOutput(inner, aliases: aliases, semiAdditiveOver: semiAdditiveOver)
            let inside = OutputExpression.and([.compare(.greaterOrEqual, value, try bindOutput(lower, aliases: aliases, semiAdditiveOver: semiAdditiveOver)),
                                               .compare(.lessOrEqual, value, try bindOutput(upper, aliases: aliases, semiAdditiveOver: semiAdditiveOver))])
            return negated ? .not(inside) : inside
        case let .caseWhen(caseExpression):
            let operand = try caseExpression.operand.map { try bindOutput($0, aliases: aliases, semiAdditiveOver: semiAdditiveOver) }
            let branches = try caseExpression.branches.map { branch -> (OutputExpression, OutputExpression) in
                var condition = try bindOutput(branch.condition, aliases: aliases, semiAdditiveOver: semiAdditiveOver)
                if let operand { condition = .compare(.equal, operand, condition) }
                return (condition, try bindOutput(branch.result, aliases: aliases, semiAdditiveOver: semiAdditiveOver))
            }
            return .caseWhen(branches, otherwise: try caseExpression.elseResult.map { try bindOutput($0, aliases: aliases, semiAdditiveOver: semiAdditiveOver) })
        case .like:
            throw QueryError("LIKE works in WHERE, on dimensions", at: expression.range)
        case let .function(call):
            return try bindFunction(call, range: expression.range, aliases: aliases, semiAdditiveOver: semiAdditiveOver)
        }
    }

    private mutating func bindFunction(_ call: FunctionCall, range: SourceRange, aliases: [BoundOutput], semiAdditiveOver: Int?) throws -> OutputExpression {
        let name = call.name.normalized
        if name == "grouping" {
            let positions = try call.argumentList.map { argument -> Int in
                guard case let .column(identifier) = argument.kind, let attribute = catalog.attribute(named: identifier.name),
                      let position = keys.firstIndex(of: catalog.attributes.firstIndex { $0 === attribute }!) else {
                    throw QueryError("GROUPING() takes columns of the GROUP BY", at: argument.range)
                }
                return position
            }
            guard !positions.isEmpty else { throw QueryError("GROUPING() needs at least one column", at: range) }
            return .grouping(positions)
        }
        if call.isAggregate { return try bindAggregate(call, range: range, semiAdditiveOver: semiAdditiveOver) }
        guard Self.scalarFunctions.contains(name) else { throw Self.unknownFunction(call) }
        let arguments = try call.argumentList.map { try bindOutput($0, aliases: aliases, semiAdditiveOver: semiAdditiveOver) }
        let arity: ClosedRange<Int> = ["round": 1...2, "abs": 1...1, "coalesce": 1...32, "nullif": 2...2][name]!
        guard arity.contains(arguments.count) else {
            throw QueryError("\(name.uppercased()) takes \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) to \(arity.upperBound)") arguments, not \(arguments.count)", at: range)
        }
        if name == "round", arguments.count == 2 {
            try checkRoundingPlaces(call.argumentList[1])
        }
        return .function(name, arguments)
    }

    /// As DuckDB's binder does, ROUND takes a 32-bit integer of places when they are written
    /// as a number; computed places are clamped when evaluated.
    private func checkRoundingPlaces(_ argument: Expression) throws {
        var places = argument
        var negative = false
        while case let .negate(inner) = places.kind {
            places = inner
            negative.toggle()
        }
        switch places.kind {
        case let .integer(value) where Int32(exactly: negative ? -value : value) != nil:
            return
        case .integer, .decimal:
            throw QueryError("ROUND takes a whole number of decimal places from \(Int32.min) to \(Int32.max); '\(argument)' is not one",
                             at: argument.range)
        default:
            return
        }
    }

    private mutating func bindAggregate(_ call: FunctionCall, range: SourceRange, semiAdditiveOver: Int?) throws -> OutputExpression {
        let name = call.name.normalized
        let upper = name.uppercased()
        switch call.arguments {
        case .star:
            guard name == "count" else { throw QueryError("\(upper)(*) is not an aggregate; COUNT(*) is", at: range) }
            return addAggregate(.countRows)
        case let .distinct(arguments):
            guard name == "count" else { throw QueryError("DISTINCT works in COUNT only", at: range) }
            guard arguments.count == 1, case let .column(identifier) = arguments[0].kind,
                  let attribute = catalog.attribute(named: identifier.name) else {
                throw QueryError("COUNT(DISTINCT ...) takes one dimension, e.g. COUNT(DISTINCT account_id)", at: range)
            }
            return addAggregate(.countDistinct(attribute: catalog.attributes.firstIndex { $0 === attribute }!))
        case let .list(arguments):
            guard arguments.count == 1 else { throw QueryError("\(upper) takes one argument, not \(arguments.count)", at: range) }
            let argument = arguments[0]
            if case let .column(identifier) = argument.kind, let attribute = catalog.attribute(named: identifier.name) {
                let index = catalog.attributes.firstIndex { $0 === attribute }!
                switch name {
                case "count": return addAggregate(.countAttribute(attribute: index))
                case "min": return addAggregate(.minAttribute(attribute: index))
                case "max": return addAggregate(.maxAttribute(attribute: index))
                default:
                    throw QueryError("\(upper) needs a number; '\(identifier.name)' is a dimension", at: argument.range,
                                     hint: "COUNT(DISTINCT \(identifier.name)) counts its values")
                }
            }
            let input = try bindRow(argument, function: upper)
            switch name {
            case "count": return addAggregate(.count(input))
            case "sum":
                if let over = semiAdditiveOver { return addAggregate(.lastSum(input, attribute: over)) }
                return addAggregate(.sum(input))
            case "avg": return .arithmetic(addAggregate(.sum(input)), [(.divide, addAggregate(.count(input)))])
            case "min": return addAggregate(.min(input))
            default: return addAggregate(.max(input))
            }
        }
    }

    /// Binds an aggregate's argument: fact columns, numbers and arithmetic. `function` names
    /// where the expression stands: an aggregate, WHERE, or SELECT or ORDER BY of a drill-through.
    func bindRow(_ expression: Expression, function: String) throws -> RowExpression {
        let height = expression.height
        guard height <= RowExpression.maximumHeight else {
            let place = ["WHERE", "SELECT", "ORDER BY"].contains(function) ? "in \(function)" : "inside \(function)"
            throw QueryError("arithmetic \(place) is \(height) levels deep (each operator of a chain is one); at most \(RowExpression.maximumHeight)",
                             at: expression.range)
        }
        return try bindRowTerm(expression, function: function)
    }

    private func bindRowTerm(_ expression: Expression, function: String) throws -> RowExpression {
        switch expression.kind {
        case let .column(identifier):
            switch catalog.resolve(identifier.name) {
            case let .fact(column, fact)?: return .column(column, name: fact.name, type: fact.type)
            case .attribute?:
                throw QueryError("\(function) needs a number; '\(identifier.name)' is a dimension", at: identifier.range)
            case .measure?:
                throw QueryError("'\(identifier.name)' is a measure, already aggregated; it cannot go inside \(function)", at: identifier.range)
            case .hierarchy?:
                throw QueryError("'\(identifier.name)' is a hierarchy, not a number", at: identifier.range)
            case nil:
                throw catalog.unknownName(identifier, expected: "column")
            }
        case let .integer(value):
            // A double holds integers exactly only up to 2^53: larger ones keep their digits.
            return abs(value) < 1_000_000_000_000_000 ? .constant(Double(value)) : .integer(Int64(value))
        case let .decimal(value): return .constant(value)
        case let .negate(inner): return .negate(try bindRowTerm(inner, function: function))
        case let .binary(op, left, right) where [.add, .subtract, .multiply, .divide].contains(op):
            return .arithmetic(op, try bindRowTerm(left, function: function), try bindRowTerm(right, function: function))
        case let .function(call):
            let name = call.name.normalized
            if Self.scalarFunctions.contains(name) {
                let examples = ["abs": "ABS(SUM(x))", "round": "ROUND(SUM(x), 2)", "coalesce": "COALESCE(SUM(x), 0)", "nullif": "NULLIF(SUM(x), 0)"]
                throw Self.notOnRowValues(name.uppercased(), example: examples[name]!, function: function, at: call.name.range)
            }
            if name == "grouping" {
                throw QueryError("GROUPING applies to the columns of a GROUP BY, e.g. SELECT region, GROUPING(region) ... GROUP BY ROLLUP(region)",
                                 at: call.name.range)
            }
            guard call.isAggregate else { throw Self.unknownFunction(call) }
            if function == "WHERE" {
                throw QueryError("aggregates are not allowed in WHERE; filter on them with HAVING", at: expression.range)
            }
            throw QueryError("aggregates cannot be nested inside \(function)", at: expression.range)
        case .caseWhen:
            throw Self.notOnRowValues("CASE", example: "CASE WHEN SUM(x) > 0 THEN 1 ELSE 0 END", function: function,
                                      at: expression.range)
        case .string:
            throw QueryError("\(function) takes a numeric expression of fact columns; the text \(expression) is not one", at: expression.range)
        default:
            throw QueryError("\(function) takes a numeric expression of fact columns; '\(expression)' is not one", at: expression.range)
        }
    }

    private func resultColumn(for expression: Expression, bound: OutputExpression, name: String) -> ResultColumn {
        if case let .column(identifier) = expression.kind {
            switch catalog.resolve(identifier.name) {
            case .attribute?: return ResultColumn(name: name, role: .dimension, format: .text)
            case let .measure(measure, _)?:
                let format: ResultColumn.Format
                switch measure.format {
                case .count: format = .count
                case .percent: format = .percent
                case .money: format = .money
                case .number: format = .number
                }
                return ResultColumn(name: name, role: .measure, format: format)
            default: break
            }
        }
        return ResultColumn(name: name, role: .measure, format: format(of: bound))
    }

    /// What an output expression is when it is a number: a named measure by its format, an alias
    /// by its column, anything else by the format its aggregates give; nil for text.
    private func numericKind(of expression: Expression, bound: OutputExpression, aliases: [BoundOutput]) -> NumericKind? {
        if case let .column(identifier) = expression.kind {
            switch catalog.resolve(identifier.name) {
            case let .measure(measure, _)?: return NumericKind(measure.format)
            case .attribute?: return nil
            default:
                if let output = aliases.first(where: { $0.name.lowercased() == identifier.normalized }) {
                    return NumericKind(output.column.format)
                }
            }
        }
        switch bound {
        case .aggregate, .arithmetic, .negate, .grouping: break
        case let .function(name, _) where name == "round" || name == "abs": break
        // CASE, COALESCE and NULLIF may give text.
        default: return nil
        }
        return NumericKind(format(of: bound))
    }

    private func format(of expression: OutputExpression) -> ResultColumn.Format {
        switch expression {
        case let .aggregate(index):
            switch aggregates[index] {
            case .countRows, .count, .countAttribute, .countDistinct: return .count
            case .minAttribute, .maxAttribute: return .text
            case .secondMoments: return .number
            case let .sum(input), let .min(input), let .max(input), let .lastSum(input, _):
                if case let .column(_, _, type) = input {
                    switch type {
                    case .decimal(2): return .money
                    case .integer: return .integer
                    default: return .number
                    }
                }
                return .number
            }
        case .key: return .text
        case .grouping: return .integer
        case let .literal(value):
            if case .text = value { return .text }
            if case .integer = value { return .integer }
            return .number
        case let .arithmetic(first, steps):
            var result = format(of: first)
            for step in steps {
                let operand = format(of: step.operand)
                if step.op == .divide {
                    result = .number
                } else if result != operand {
                    result = step.op == .multiply && (result == .money || operand == .money) ? .money : .number
                }
            }
            return result
        case .compare, .and, .or, .not, .isNull, .inList: return .text
        default: return .number
        }
    }

    private mutating func orderTarget(_ item: OrderItem, outputs: inout [BoundOutput], itemCount: Int) throws -> Int {
        if let position = item.position {
            guard position >= 1, position <= itemCount else {
                throw QueryError("ORDER BY position \(position) is not in the select list (1...\(itemCount))", at: item.expression.range)
            }
            return position - 1
        }
        if case let .column(identifier) = item.expression.kind,
           let index = outputs.firstIndex(where: { !$0.hidden && $0.name.lowercased() == identifier.normalized }) {
            return index
        }
        let bound = try bindOutput(item.expression, aliases: outputs)
        let name = item.expression.description
        outputs.append(BoundOutput(name: name, expression: bound, column: ResultColumn(name: name, role: .measure, format: .number), hidden: true))
        return outputs.count - 1
    }

    // MARK: - Drill-through

    private func bindDrillThrough(_ select: SelectStatement, filter: RowPredicate?) throws -> DrillThroughQuery {
        var columns: [DrillThroughQuery.Column] = []
        func column(for expression: Expression, name: String, clause: String = "SELECT") throws -> DrillThroughQuery.Column {
            if case let .column(identifier) = expression.kind, let attribute = catalog.attribute(named: identifier.name) {
                return DrillThroughQuery.Column(name: name, expression: nil, attribute: catalog.attributes.firstIndex { $0 === attribute }!,
                                                format: .text, role: .dimension, hidden: false)
            }
            let row = try bindRow(expression, function: clause)
            var format = ResultColumn.Format.number
            if case let .column(_, _, type) = row { format = type == .decimal(scale: 2) ? .money : type == .integer ? .integer : .number }
            return DrillThroughQuery.Column(name: name, expression: row, attribute: nil, format: format, role: .measure, hidden: false)
        }
        for item in select.items {
            switch item.kind {
            case .wildcard:
                for stored in catalog.cube.definition.storedColumns {
                    columns.append(try column(for: Expression(.column(Identifier(stored.name))), name: stored.name))
                }
            case let .expression(expression, alias):
                columns.append(try column(for: expression, name: alias?.name ?? item.outputName ?? expression.description))
            }
        }
        var order: [BoundOrder] = []
        for item in select.orderBy {
            var index: Int
            if let position = item.position {
                guard position >= 1, position <= columns.count else {
                    throw QueryError("ORDER BY position \(position) is not in the select list (1...\(columns.count))", at: item.expression.range)
                }
                index = position - 1
            } else if case let .column(identifier) = item.expression.kind,
                      let found = columns.firstIndex(where: { $0.name.lowercased() == identifier.normalized }) {
                index = found
            } else {
                var hidden = try column(for: item.expression, name: item.expression.description, clause: "ORDER BY")
                // An expression the select list already reads under another name (`mrr_start AS
                // mrr_at_risk`) orders by that column: no second copy of it to decode and drop.
                if let same = columns.firstIndex(where: { $0.attribute == hidden.attribute && $0.expression == hidden.expression }) {
                    index = same
                } else {
                    hidden.hidden = true
                    columns.append(hidden)
                    index = columns.count - 1
                }
            }
            order.append(BoundOrder(output: index, descending: item.direction == .descending, nullsFirst: item.nulls == .first))
        }
        return DrillThroughQuery(filter: filter, columns: columns, order: order, limit: select.limit, offset: select.offset ?? 0)
    }
}
