import ChurnStorage
import ChurnSyntax

/// Decides from chunk statistics alone whether a row group can hold rows passing a predicate,
/// so row groups that cannot are skipped without decompressing anything.
struct ChunkPruner {
    let store: ColumnStore

    enum Verdict { case none, some, all }

    /// `.none`: no row can pass; `.all`: every row passes (the predicate need not be evaluated);
    /// `.some`: rows must be checked.
    func verdict(_ predicate: RowPredicate, rowGroup: Int) -> Verdict {
        switch predicate {
        case let .constant(value):
            return value ? .all : .none
        case let .codes(column, codes, _):
            let statistics = store.columns[column].chunks[rowGroup].statistics
            if codes.isEmpty || !statistics.mayContain(anyOf: codes) { return .none }
            if let distinct = statistics.distinctCodes, distinct.allSatisfy(codes.contains),
               statistics.nullCount == 0 || codes.contains(0) {
                return .all
            }
            return .some
        case let .compare(left, op, right):
            guard case let .column(column, _, type) = left, case let .constant(value) = right else { return .some }
            let statistics = store.columns[column].chunks[rowGroup].statistics
            if statistics.isAllNull { return .none }
            guard let range = valueRange(statistics, type: type) else { return .some }
            let anyPass = Self.mayHold(op, range, value)
            if !anyPass { return .none }
            if statistics.nullCount == 0 && Self.alwaysHolds(op, range, value) { return .all }
            return .some
        case let .isNull(column, _, negated):
            let statistics = store.columns[column].chunks[rowGroup].statistics
            if negated {
                return statistics.isAllNull ? .none : statistics.nullCount == 0 ? .all : .some
            }
            return statistics.nullCount == 0 ? .none : statistics.isAllNull ? .all : .some
        case let .and(children):
            var result = Verdict.all
            for child in children {
                switch verdict(child, rowGroup: rowGroup) {
                case .none: return .none
                case .some: result = .some
                case .all: break
                }
            }
            return result
        case let .or(children):
            var result = Verdict.none
            for child in children {
                switch verdict(child, rowGroup: rowGroup) {
                case .all: return .all
                case .some: result = .some
                case .none: break
                }
            }
            return result
        }
    }

    private func valueRange(_ statistics: ChunkStatistics, type: ColumnType) -> ClosedRange<Double>? {
        switch type {
        case .double: return statistics.doubleRange
        case let .decimal(scale):
            return statistics.integerRange.map { Double($0.lowerBound) / pow10(scale)...Double($0.upperBound) / pow10(scale) }
        default:
            return statistics.integerRange.map { Double($0.lowerBound)...Double($0.upperBound) }
        }
    }

    static func mayHold(_ op: BinaryOperator, _ range: ClosedRange<Double>, _ value: Double) -> Bool {
        switch op {
        case .equal: return range.contains(value)
        case .notEqual: return !(range.lowerBound == value && range.upperBound == value)
        case .less: return range.lowerBound < value
        case .lessOrEqual: return range.lowerBound <= value
        case .greater: return range.upperBound > value
        case .greaterOrEqual: return range.upperBound >= value
        default: return true
        }
    }

    static func alwaysHolds(_ op: BinaryOperator, _ range: ClosedRange<Double>, _ value: Double) -> Bool {
        switch op {
        case .equal: return range.lowerBound == value && range.upperBound == value
        case .notEqual: return !range.contains(value)
        case .less: return range.upperBound < value
        case .lessOrEqual: return range.upperBound <= value
        case .greater: return range.lowerBound > value
        case .greaterOrEqual: return range.lowerBound >= value
        default: return false
        }
    }
}
