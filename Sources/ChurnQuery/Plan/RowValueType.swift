import ChurnStorage
import ChurnSyntax

/// How a row expression's values are computed: exactly, as integers in units of 10^-scale (as
/// SQL's DECIMAL and BIGINT), or in floating point.
///
/// Integers and money stay exact through + and -, through * (scales add, as DuckDB's DECIMAL
/// does) and through comparisons; division and double columns give floating point.
package enum RowValueType: Hashable, Sendable {
    case exact(scale: Int)
    case double

    /// Beyond this scale a product is computed in floating point: 10^9 leaves room for values
    /// up to 9 x 10^9 in 64 bits.
    static let maximumScale = 9
}

extension RowExpression {
    package var valueType: RowValueType {
        switch self {
        case let .column(_, _, type):
            switch type {
            case .double: return .double
            case let .decimal(scale): return .exact(scale: scale)
            default: return .exact(scale: 0)
            }
        case let .constant(value):
            return RowExpression.exactUnits(of: value).map { .exact(scale: $0.scale) } ?? .double
        case .integer:
            return .exact(scale: 0)
        case let .negate(inner), let .zeroIfNull(inner):
            return inner.valueType
        case .approximate:
            return .double
        case let .arithmetic(op, left, right):
            guard case let .exact(leftScale) = left.valueType, case let .exact(rightScale) = right.valueType else { return .double }
            switch op {
            case .add, .subtract: return .exact(scale: max(leftScale, rightScale))
            case .multiply:
                return leftScale + rightScale <= RowValueType.maximumScale ? .exact(scale: leftScale + rightScale) : .double
            default: return .double
            }
        }
    }

    /// A literal as exact units: 0.01 is 1 at scale 2, 60 is 60 at scale 0; nil for values a
    /// short decimal does not write exactly (1e-20, 1/3, 1e300).
    static func exactUnits(of value: Double) -> (units: Int64, scale: Int)? {
        guard value.isFinite, abs(value) < 1e15 else { return nil }
        let text = "\(value)"
        guard !text.contains("e") else { return nil }
        let fraction = text.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first ?? ""
        let scale = fraction == "0" ? 0 : fraction.count
        guard scale <= 6 else { return nil }
        return (Int64((value * pow10(scale)).rounded()), scale)
    }
}

/// 10^exponent as an integer, nil past Int64.
func power10(_ exponent: Int) -> Int64? {
    var result: Int64 = 1
    for _ in 0..<exponent {
        let (next, overflow) = result.multipliedReportingOverflow(by: 10)
        if overflow { return nil }
        result = next
    }
    return result
}
