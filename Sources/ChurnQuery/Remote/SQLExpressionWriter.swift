import ChurnModel
import ChurnStorage

/// Writes row expressions and conditions as SQL over the compiler's inner projection, where fact
/// column `i` is `f<i>` (cast to the cube's type) and stored dimension column `i` is `d<i>`.
struct SQLExpressionWriter {
    let dialect: SQLDialect
    let store: ColumnStore

    static func factAlias(_ column: Int) -> String { "f\(column)" }
    static func dimensionAlias(_ column: Int) -> String { "d\(column)" }

    /// SUM of `sql`, the value of `input`: exact inputs are summed over DECIMAL(38, scale), so a
    /// sum of 64-bit values does not overflow remotely (one past 64 bits is refused when read, as
    /// the in-memory engine refuses it).
    static func sum(_ sql: String, of input: RowExpression) -> String {
        if case let .exact(scale) = input.valueType { return "sum(CAST(\(sql) AS DECIMAL(38, \(scale))))" }
        return "sum(\(sql))"
    }

    /// The expression's value with the type the in-memory engine gives it: exact expressions stay
    /// decimal (Spark's decimal arithmetic is exact), the rest is computed in double.
    func expression(_ expression: RowExpression) -> String {
        if case .arithmetic = expression { return checked(plain(expression), expression) }
        return plain(expression)
    }

    private func plain(_ expression: RowExpression) -> String {
        if case .double = expression.valueType, !expression.isColumnOrConstant { return doubleExpression(expression) }
        switch expression {
        case let .column(index, _, _): return Self.factAlias(index)
        case let .constant(value): return Self.literal(value)
        case let .integer(value): return "\(value)L"
        case let .negate(inner): return "(- \(plain(inner)))"
        case let .approximate(inner): return "CAST(\(self.expression(inner)) AS DOUBLE)"
        case let .zeroIfNull(inner): return "coalesce(\(plain(inner)), 0)"
        case let .arithmetic(op, left, right): return "(\(plain(left)) \(op.rawValue) \(plain(right)))"
        }
    }

    /// Decimal arithmetic does not overflow where the in-memory engine's 64-bit units do: the
    /// value, or the engine's overflow error when its units at the expression's scale leave 64
    /// bits. Only the whole expression is checked, so that its SQL is written twice, not its
    /// every step.
    private func checked(_ sql: String, _ expression: RowExpression) -> String {
        guard case let .exact(scale) = expression.valueType else { return sql }
        func bound(_ units: Int64) -> String {
            let digits = String(units.magnitude)
            let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
            let text = scale == 0 ? padded : String(padded.dropLast(scale)) + "." + String(padded.suffix(scale))
            return (units < 0 ? "-" : "") + text + "BD"
        }
        let message = SQLDialect.raisedErrorPrefix + ExpressionEvaluator.overflow(expression).description
        return "(CASE WHEN \(sql) < \(bound(Int64.min)) OR \(sql) > \(bound(Int64.max)) THEN raise_error(\(dialect.string(message))) "
            + "ELSE \(sql) END)"
    }

    /// In floating point throughout, as the engine's double evaluation does: exact parts are
    /// computed exactly first, division by zero is NULL.
    private func doubleExpression(_ expression: RowExpression) -> String {
        if case .exact = expression.valueType { return "CAST(\(self.expression(expression)) AS DOUBLE)" }
        switch expression {
        case let .arithmetic(.divide, left, right):
            return "\(dialect.safeDivideFunction)(\(doubleExpression(left)), \(doubleExpression(right)))"
        case let .arithmetic(op, left, right):
            return "(\(doubleExpression(left)) \(op.rawValue) \(doubleExpression(right)))"
        case let .negate(inner): return "(- \(doubleExpression(inner)))"
        case let .approximate(inner): return doubleExpression(inner)
        case let .zeroIfNull(inner): return "coalesce(\(doubleExpression(inner)), CAST(0 AS DOUBLE))"
        case let .column(index, _, _): return "CAST(\(Self.factAlias(index)) AS DOUBLE)"
        case let .constant(value): return Self.doubleLiteral(value)
        case let .integer(value): return "CAST(\(value)L AS DOUBLE)"
        }
    }

    /// A literal the way the engine types it: a short decimal exactly, anything else as a double.
    static func literal(_ value: Double) -> String {
        guard let (units, scale) = RowExpression.exactUnits(of: value) else { return doubleLiteral(value) }
        if scale == 0 { return "\(units)BD" }
        let digits = String(units.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        return (units < 0 ? "-" : "") + padded[..<split] + "." + padded[split...] + "BD"
    }

    static func doubleLiteral(_ value: Double) -> String {
        if value.isNaN { return "CAST('NaN' AS DOUBLE)" }
        if value.isInfinite { return value > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)" }
        return "\(value)D"
    }

    /// A condition in negation normal form: SQL's three-valued logic drops a row whose leaf is
    /// unknown exactly as the engine does.
    func condition(_ predicate: RowPredicate) -> String {
        switch predicate {
        case let .codes(column, codes, _):
            let dictionary = store.columns[column].dictionary
            let alias = Self.dimensionAlias(column)
            let members = codes.members.filter { $0 != 0 }
            var parts: [String] = []
            if members.count * 2 > dictionary.cardinality {
                // Most members (`plan <> 'starter'`, `account_id <> 'A1'`): the few left out.
                let excluded = (1..<UInt32(dictionary.count)).filter { !codes.contains($0) }.compactMap { dictionary.value(of: $0) }
                parts.append(excluded.isEmpty ? "\(alias) IS NOT NULL"
                             : "\(alias) NOT IN (\(excluded.map(dialect.string).joined(separator: ", ")))")
            } else if !members.isEmpty {
                parts.append("\(alias) IN (\(members.compactMap { dictionary.value(of: $0) }.map(dialect.string).joined(separator: ", ")))")
            }
            if codes.contains(0) { parts.append("\(alias) IS NULL") }
            if parts.isEmpty { return "FALSE" }
            return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")"
        case let .compare(left, op, right):
            return "(\(expression(left)) \(op.rawValue) \(expression(right)))"
        case let .isNull(column, _, negated):
            let alias = store.columns[column].type == .dimension ? Self.dimensionAlias(column) : Self.factAlias(column)
            return "(\(alias) IS \(negated ? "NOT " : "")NULL)"
        case let .and(children):
            return children.isEmpty ? "TRUE" : "(" + children.map(condition).joined(separator: " AND ") + ")"
        case let .or(children):
            return children.isEmpty ? "FALSE" : "(" + children.map(condition).joined(separator: " OR ") + ")"
        case let .constant(value):
            return value ? "TRUE" : "FALSE"
        }
    }
}

extension RowExpression {
    fileprivate var isColumnOrConstant: Bool {
        switch self {
        case .column, .constant, .integer: return true
        default: return false
        }
    }
}
