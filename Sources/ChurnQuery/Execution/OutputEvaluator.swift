import ChurnStorage
import ChurnSyntax
import Foundation

/// One result row before its outputs are computed: where its aggregate states live, and which
/// keys its grouping set keeps.
struct GroupRow {
    var aggregation: GroupedAggregation
    var slot: Int
    /// Per key position of the query: the position in the set's combined key, or -1 when the key
    /// is rolled up in this row. Shared by the rows of one set.
    var setPositions: [Int]

    /// The attribute code of key `position`, or nil when it is rolled up.
    @inline(__always)
    func code(_ position: Int) -> UInt32? {
        let index = setPositions[position]
        guard index >= 0 else { return nil }
        return aggregation.code(ofKey: aggregation.key(ofSlot: slot), at: index)
    }
}

/// Computes output expressions for result rows, with SQL semantics: NULL propagates, division
/// by zero is NULL, comparisons with NULL are unknown, integer division gives a fraction.
struct OutputEvaluator {
    let catalog: CubeCatalog
    let keys: [Int]
    let specs: [AggregateSpec]
    init(catalog: CubeCatalog, keys: [Int], specs: [AggregateSpec]) {
        self.catalog = catalog
        self.keys = keys
        self.specs = specs
    }

    func aggregateValue(_ index: Int, row: GroupRow) -> ResultValue {
        row.aggregation.value(index, slot: row.slot)
    }

    func evaluate(_ expression: OutputExpression, row: GroupRow) -> ResultValue {
        switch expression {
        case let .aggregate(index):
            return aggregateValue(index, row: row)
        case let .key(position):
            guard let code = row.code(position) else { return .subtotal }
            return catalog.attributes[keys[position]].dictionary.value(of: code).map(ResultValue.text) ?? .null
        case let .grouping(positions):
            var bits: Int64 = 0
            for position in positions { bits = bits << 1 | (row.setPositions[position] < 0 ? 1 : 0) }
            return .integer(bits)
        case let .literal(value):
            return value
        case let .arithmetic(first, steps):
            var value = evaluate(first, row: row)
            for step in steps { value = Self.arithmetic(step.op, value, evaluate(step.operand, row: row)) }
            return value
        case let .negate(inner):
            // As the arithmetic below does, a result past 64 bits (-MIN of the smallest integer) becomes a double.
            switch evaluate(inner, row: row) {
            case let .integer(value): return value == .min ? .double(-Double(value)) : .integer(-value)
            case let .decimal(units, scale): return units == .min ? .double(-Double(units) / pow10(scale)) : .decimal(units: -units, scale: scale)
            case let .double(value): return .double(-value)
            default: return .null
            }
        case let .compare(op, left, right):
            guard let order = Self.compare(evaluate(left, row: row), evaluate(right, row: row)) else { return .null }
            return .boolean(op.holds(order, 0))
        case let .and(operands):
            // False wins over unknown, unknown over true.
            var unknown = false
            for operand in operands {
                guard let value = truth(evaluate(operand, row: row)) else { unknown = true; continue }
                if !value { return .boolean(false) }
            }
            return unknown ? .null : .boolean(true)
        case let .or(operands):
            var unknown = false
            for operand in operands {
                guard let value = truth(evaluate(operand, row: row)) else { unknown = true; continue }
                if value { return .boolean(true) }
            }
            return unknown ? .null : .boolean(false)
        case let .not(inner):
            return truth(evaluate(inner, row: row)).map { .boolean(!$0) } ?? .null
        case let .isNull(inner, negated):
            return .boolean(evaluate(inner, row: row).isNull != negated)
        case let .inList(inner, items, negated):
            let value = evaluate(inner, row: row)
            if value.isNull { return .null }
            var sawNull = false
            for item in items {
                guard let order = Self.compare(value, evaluate(item, row: row)) else { sawNull = true; continue }
                if order == 0 { return .boolean(!negated) }
            }
            return sawNull ? .null : .boolean(negated)
        case let .caseWhen(branches, otherwise):
            for (condition, result) in branches where truth(evaluate(condition, row: row)) == true {
                return evaluate(result, row: row)
            }
            return otherwise.map { evaluate($0, row: row) } ?? .null
        case let .function(name, arguments):
            let values = arguments.map { evaluate($0, row: row) }
            return Self.scalar(name, values)
        }
    }

    /// DuckDB's rounding to `places` decimal places (negative: tens, hundreds...): when the
    /// scaled value overflows, more places than a double holds give the value back and more
    /// places to the left than its magnitude give 0, instead of NaN.
    static func rounded(_ value: Double, places: Double) -> Double {
        if places < 0 {
            let modifier = pow(10.0, -places)
            let result = (value / modifier).rounded(.toNearestOrAwayFromZero) * modifier
            return result.isFinite ? result : 0
        }
        let modifier = pow(10.0, places)
        let result = (value * modifier).rounded(.toNearestOrAwayFromZero) / modifier
        return result.isFinite ? result : value
    }

    private func truth(_ value: ResultValue) -> Bool? {
        switch value {
        case let .boolean(flag): return flag
        case let .integer(number): return number != 0
        default: return nil
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ left: ResultValue, _ right: ResultValue) -> ResultValue {
        if left.isNull || right.isNull { return .null }
        switch (left, right) {
        case let (.integer(a), .integer(b)) where op != .divide:
            let (result, overflow): (Int64, Bool)
            switch op {
            case .add: (result, overflow) = a.addingReportingOverflow(b)
            case .subtract: (result, overflow) = a.subtractingReportingOverflow(b)
            default: (result, overflow) = a.multipliedReportingOverflow(by: b)
            }
            return overflow ? .double(applyDouble(op, Double(a), Double(b)) ?? 0) : .integer(result)
        default:
            // Money with integers or other money stays exact, as DuckDB's DECIMAL: sums bring
            // their operands to the larger scale, products add the scales.
            if op != .divide, let (a, scaleA) = left.exactUnits, let (b, scaleB) = right.exactUnits,
               let exact = exactArithmetic(op, a, scaleA, b, scaleB) {
                return exact
            }
        }
        guard let a = left.doubleValue, let b = right.doubleValue else { return .null }
        return applyDouble(op, a, b).map(ResultValue.double) ?? .null
    }

    /// `a op b` of exact units, or nil when it leaves 64 bits (the caller goes to floating point).
    private static func exactArithmetic(_ op: BinaryOperator, _ a: Int64, _ scaleA: Int, _ b: Int64, _ scaleB: Int) -> ResultValue? {
        let units: Int64, scale: Int
        if op == .multiply {
            scale = scaleA + scaleB
            guard scale <= RowValueType.maximumScale else { return nil }
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            if overflow { return nil }
            units = product
        } else {
            scale = max(scaleA, scaleB)
            guard let factorA = power10(scale - scaleA), let factorB = power10(scale - scaleB) else { return nil }
            let (x, overflowA) = a.multipliedReportingOverflow(by: factorA)
            let (y, overflowB) = b.multipliedReportingOverflow(by: factorB)
            let (result, overflow) = op == .add ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
            if overflowA || overflowB || overflow { return nil }
            units = result
        }
        return .exact(units: units, scale: scale)
    }

    private static func applyDouble(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Double? {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        default: return b == 0 ? nil : a / b
        }
    }

    /// -1, 0, 1, or nil when either side is NULL or the two cannot be compared.
    static func compare(_ left: ResultValue, _ right: ResultValue) -> Int? {
        if left.isNull || right.isNull { return nil }
        switch (left, right) {
        case let (.text(a), .text(b)):
            // By bytes, as dimension members order.
            let (x, y) = (ByteString(a), ByteString(b))
            return x < y ? -1 : x == y ? 0 : 1
        case let (.boolean(a), .boolean(b)): return a == b ? 0 : (!a ? -1 : 1)
        case let (.integer(a), .integer(b)): return a < b ? -1 : a == b ? 0 : 1
        default:
            guard let a = left.doubleValue, let b = right.doubleValue else { return nil }
            return a < b ? -1 : a == b ? 0 : 1
        }
    }

    private static func scalar(_ name: String, _ values: [ResultValue]) -> ResultValue {
        switch name {
        case "coalesce": return values.first { !$0.isNull } ?? .null
        case "nullif": return compare(values[0], values[1]) == 0 ? .null : values[0]
        case "abs":
            switch values[0] {
            case let .integer(value): return value == .min ? .double(-Double(value)) : .integer(abs(value))
            case let .decimal(units, scale): return units == .min ? .double(-Double(units) / pow10(scale)) : .decimal(units: abs(units), scale: scale)
            case let .double(value): return .double(abs(value))
            default: return .null
            }
        case "round":
            guard let value = values[0].doubleValue else { return .null }
            var digits = 0.0
            if values.count > 1 {
                guard let requested = values[1].doubleValue, !requested.isNaN else { return .null }
                // Past ±400 places every double rounds the same way; clamping keeps the power finite to compute.
                digits = min(max(requested.rounded(.towardZero), -400), 400)
            }
            return .double(rounded(value, places: digits))
        default:
            return .null
        }
    }
}
