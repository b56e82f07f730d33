/// An aggregate whose final value per group was computed by a remote SQL engine: the value is
/// held as returned. Groups merge where the function allows it (sums, counts, extremes); a
/// distinct count or a last-period sum cannot be merged from its results, and a grouping that
/// tried says so instead of answering.
final class RemoteAggregate: GroupedAggregate {
    enum Merge {
        case add
        case minimum
        case maximum
        case none
    }

    let spec: AggregateSpec
    private let merge: Merge
    private var values: [ResultValue] = []
    private var merged = false
    /// Exact values past 64 bits by slot, refused by `checkRepresentable` in slot order, as the
    /// in-memory aggregates refuse theirs.
    private var pastRange: [Int: QueryError] = [:]
    /// What a group without rows holds: 0 for counts (a grand total over no rows), else NULL.
    private let empty: ResultValue

    init(spec: AggregateSpec) {
        self.spec = spec
        switch spec {
        case .count, .countAttribute, .sum, .countRows, .secondMoments: merge = .add
        case .min, .minAttribute: merge = .minimum
        case .max, .maxAttribute: merge = .maximum
        case .countDistinct, .lastSum: merge = .none
        }
        switch spec {
        case .count, .countAttribute, .countDistinct, .countRows: empty = .integer(0)
        default: empty = .null
        }
    }

    func appendSlots(_ count: Int) { values.append(contentsOf: repeatElement(empty, count: count)) }

    func assign(_ value: ResultValue, slot: Int) { values[slot] = value }

    /// A slot whose exact value does not fit 64 bits: `error` says so when the grouping is checked.
    func assignPastRange(_ error: QueryError, slot: Int) {
        values[slot] = .null
        pastRange[slot] = error
    }

    func update(_ batch: ScanBatch) throws {
        throw QueryError("the remote engine's results cannot take rows of the in-memory store", at: .synthesized)
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        let theirs = unsafeDowncast(other, to: RemoteAggregate.self).values[source]
        let mine = values[target]
        if theirs.isNull { return }
        if mine.isNull && merge != .none { values[target] = theirs; return }
        switch merge {
        case .add: values[target] = Self.add(mine, theirs)
        case .minimum: if let order = OutputEvaluator.compare(theirs, mine), order < 0 { values[target] = theirs }
        case .maximum: if let order = OutputEvaluator.compare(theirs, mine), order > 0 { values[target] = theirs }
        case .none: merged = true
        }
    }

    private static func add(_ a: ResultValue, _ b: ResultValue) -> ResultValue {
        switch (a, b) {
        case let (.integer(x), .integer(y)):
            let (sum, overflow) = x.addingReportingOverflow(y)
            return overflow ? .double(Double(x) + Double(y)) : .integer(sum)
        case let (.decimal(x, scale), .decimal(y, otherScale)) where scale == otherScale:
            let (sum, overflow) = x.addingReportingOverflow(y)
            return overflow ? .double((a.doubleValue ?? 0) + (b.doubleValue ?? 0)) : .decimal(units: sum, scale: scale)
        default:
            return .double((a.doubleValue ?? 0) + (b.doubleValue ?? 0))
        }
    }

    func makeEmpty() -> any GroupedAggregate { RemoteAggregate(spec: spec) }

    func value(slot: Int, rows: Int64) -> ResultValue { values[slot] }

    func checkRepresentable(slots: Int) throws {
        if let first = pastRange.keys.min(), let error = pastRange[first] { throw error }
        if merged {
            throw QueryError("\(spec) cannot be derived from the remote engine's finer groups", at: .synthesized)
        }
    }

    var bytesPerSlot: Int { MemoryLayout<ResultValue>.stride }
}
