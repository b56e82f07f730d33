import ChurnStorage
import ChurnSyntax

/// A numeric expression evaluated per row: fact columns, constants and arithmetic.
/// Aggregate arguments (`SUM(mrr_start - churned_mrr)`) and measure predicates use it.
///
/// Its consumers recurse over it, so the binder keeps it at most `maximumHeight` levels deep.
package indirect enum RowExpression: Hashable, Sendable, CustomStringConvertible {
    case column(Int, name: String, type: ColumnType)
    case constant(Double)
    /// An integer literal past what a double holds exactly (beyond 10^15): kept as its digits.
    case integer(Int64)
    case arithmetic(BinaryOperator, RowExpression, RowExpression)
    case negate(RowExpression)
    /// The inner expression in floating point, for statistics that need no exactness (moments).
    case approximate(RowExpression)
    /// The inner value, 0 where it is NULL: a term of a sum of sums, since SQL's SUM(a) - SUM(b)
    /// skips a row's NULL a and still counts its b.
    case zeroIfNull(RowExpression)

    /// The deepest row expression the binder builds.
    static let maximumHeight = 256

    /// The stored columns the expression reads.
    var columns: [Int] {
        switch self {
        case let .column(index, _, _): return [index]
        case .constant, .integer: return []
        case let .arithmetic(_, left, right): return left.columns + right.columns
        case let .negate(inner), let .approximate(inner), let .zeroIfNull(inner): return inner.columns
        }
    }

    package var description: String {
        switch self {
        case let .column(_, name, _): return name
        case let .constant(value): return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case let .integer(value): return String(value)
        case let .arithmetic(op, left, right): return "(\(left) \(op.rawValue) \(right))"
        case let .negate(inner): return "-\(inner)"
        case let .approximate(inner): return inner.description
        case let .zeroIfNull(inner): return inner.description
        }
    }
}

/// A WHERE condition in negation normal form: NOT has been pushed into the leaves, so a row
/// passes exactly when the tree is true with unknown (NULL) leaves counted as false.
package indirect enum RowPredicate: Sendable, CustomStringConvertible {
    /// The row's stored code of `column` is in `codes` (dimension predicates, resolved on the dictionary).
    case codes(column: Int, CodeSet, text: String)
    case compare(RowExpression, BinaryOperator, RowExpression)
    case isNull(column: Int, name: String, negated: Bool)
    case and([RowPredicate])
    case or([RowPredicate])
    case constant(Bool)

    package var description: String {
        switch self {
        case let .codes(_, _, text): return text
        case let .compare(left, op, right): return "\(left) \(op.rawValue) \(right)"
        case let .isNull(_, name, negated): return "\(name) IS \(negated ? "NOT " : "")NULL"
        case let .and(children): return children.map { "(\($0))" }.joined(separator: " AND ")
        case let .or(children): return children.map { "(\($0))" }.joined(separator: " OR ")
        case let .constant(value): return value ? "TRUE" : "FALSE"
        }
    }

    var columns: Set<Int> {
        switch self {
        case let .codes(column, _, _): return [column]
        case let .compare(left, _, right): return Set(left.columns + right.columns)
        case let .isNull(column, _, _): return [column]
        case let .and(children), let .or(children): return children.reduce(into: Set<Int>()) { $0.formUnion($1.columns) }
        case .constant: return []
        }
    }
}

/// One aggregate computed by the scan, before output expressions combine them.
package enum AggregateSpec: Hashable, Sendable, CustomStringConvertible {
    case countRows
    /// Rows where the expression is not NULL.
    case count(RowExpression)
    /// Rows whose attribute is not NULL (`COUNT(region)`).
    case countAttribute(attribute: Int)
    case countDistinct(attribute: Int)
    case sum(RowExpression)
    case min(RowExpression)
    case max(RowExpression)
    case minAttribute(attribute: Int)
    case maxAttribute(attribute: Int)
    /// The sum over the rows of the latest value of `attribute` in the cell (semi-additive measures).
    case lastSum(RowExpression, attribute: Int)
    /// Σx², Σy² and Σxy of two expressions in floating point, in one pass: the second moments
    /// of a ratio measure's numerator and denominator (hot-spot and change tests).
    case secondMoments(RowExpression, RowExpression)

    package var description: String {
        switch self {
        case .countRows: return "count(*)"
        case let .count(expression): return "count(\(expression))"
        case let .countAttribute(attribute): return "count(attribute \(attribute))"
        case let .countDistinct(attribute): return "count(distinct attribute \(attribute))"
        case let .sum(expression): return "sum(\(expression))"
        case let .min(expression): return "min(\(expression))"
        case let .max(expression): return "max(\(expression))"
        case let .minAttribute(attribute): return "min(attribute \(attribute))"
        case let .maxAttribute(attribute): return "max(attribute \(attribute))"
        case let .lastSum(expression, attribute): return "last-period sum(\(expression)) over attribute \(attribute)"
        case let .secondMoments(x, y): return "second moments(\(x), \(y))"
        }
    }

    var input: RowExpression? {
        switch self {
        case let .count(expression), let .sum(expression), let .min(expression), let .max(expression), let .lastSum(expression, _):
            return expression
        default: return nil
        }
    }
}

/// An expression over one result row: group keys, aggregates and constants.
package indirect enum OutputExpression: Sendable {
    case aggregate(Int)
    case key(Int)
    /// GROUPING(a, b, ...): bit i set when key i is rolled up in the row (first argument is the high bit).
    case grouping([Int])
    case literal(ResultValue)
    /// `first op operand op operand ...`, applied left to right as written: a chain of thousands
    /// of terms stays one node, so evaluating it needs no deep recursion.
    case arithmetic(OutputExpression, [(op: BinaryOperator, operand: OutputExpression)])
    case negate(OutputExpression)
    case compare(BinaryOperator, OutputExpression, OutputExpression)
    /// True when every operand is; chains are flattened into one node, as for `arithmetic`.
    case and([OutputExpression])
    case or([OutputExpression])
    case not(OutputExpression)
    case isNull(OutputExpression, negated: Bool)
    case inList(OutputExpression, [OutputExpression], negated: Bool)
    case caseWhen([(OutputExpression, OutputExpression)], otherwise: OutputExpression?)
    case function(String, [OutputExpression])
}

/// An output column of an aggregate query.
struct BoundOutput {
    var name: String
    var expression: OutputExpression
    var column: ResultColumn
    /// Hidden outputs exist only to sort by (ORDER BY an expression not selected).
    var hidden: Bool
}

struct BoundOrder {
    var output: Int
    var descending: Bool
    var nullsFirst: Bool
}

/// A bound aggregate query: what to scan, how to group, what to compute and show.
struct AggregateQuery {
    var filter: RowPredicate?
    /// The finest grouping: every attribute any grouping set uses (indexes into the catalog's attributes).
    var keys: [Int]
    /// Each set lists positions in `keys`.
    var groupingSets: [[Int]]
    var aggregates: [AggregateSpec]
    var outputs: [BoundOutput]
    var having: OutputExpression?
    var order: [BoundOrder]
    var limit: Int?
    var offset: Int
    /// A query without GROUP BY returns one row even over no input rows.
    var isGlobal: Bool
}

/// A bound row-level query (drill-through): fact rows with the selected columns.
struct DrillThroughQuery {
    struct Column {
        var name: String
        var expression: RowExpression?
        /// Set for dimension columns (values from the dictionary of the attribute).
        var attribute: Int?
        var format: ResultColumn.Format
        var role: ResultColumn.Role
        var hidden: Bool
    }

    /// The exact sum of one stored column over the rows of a wider slice, taken in the same scan;
    /// with it, the rows listed are those of `slice` that `filter` keeps.
    struct SliceTotal {
        var slice: RowPredicate?
        /// The stored column summed, integer or fixed-point with `scale`.
        var column: Int
        var scale: Int
    }

    var filter: RowPredicate?
    var columns: [Column]
    var order: [BoundOrder]
    var limit: Int?
    var offset: Int
    var sliceTotal: SliceTotal? = nil
    /// A dimension column (an index into `columns`) whose distinct members, NULL aside, the scan
    /// counts over every row the filter keeps, before LIMIT: COUNT(DISTINCT) beside the rows.
    var countedMembers: Int? = nil
}
