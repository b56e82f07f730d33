import ChurnStorage

/// One aggregate function over the groups of a grouping: its state for every group slot, how
/// the selected rows of a row group update it, how two states combine, and its final value.
///
/// Each function lives in its own file. A scan worker owns one instance per aggregate; coarser
/// grouping sets and the merge of workers combine instances slot by slot.
protocol GroupedAggregate: AnyObject {
    /// Adds `count` empty slots at the end.
    func appendSlots(_ count: Int)
    /// Folds the batch's selected rows into their slots.
    func update(_ batch: ScanBatch) throws
    /// Adds slot `source` of `other` (an instance of the same function) into slot `target`.
    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int)
    /// Adds each slot `sources[i]` of `other` into slot `targets[i]`.
    func combine(_ other: any GroupedAggregate, slots sources: [Int], into targets: [Int])
    /// Adds slots 0..<slotCount of `other` into the same slots here (two groupings of one key space).
    func absorb(_ other: any GroupedAggregate, slotCount: Int)
    /// A fresh instance of the same function, without slots.
    func makeEmpty() -> any GroupedAggregate
    /// The final value of a slot holding `rows` rows.
    func value(slot: Int, rows: Int64) -> ResultValue
    /// The slot's value in floating point, for statistics (hot-spot moments); nil when NULL.
    func doubleValue(slot: Int, rows: Int64) -> Double?
    /// `doubleValue` of each of `slots` (0 for NULL), in their order; `rows[slot]` is a slot's rows.
    func doubleValues(slots: [Int], rows: [Int64]) -> [Double]
    /// Bytes of state per slot, for EXPLAIN's memory figure.
    var bytesPerSlot: Int { get }
    /// Throws when a slot's final value cannot be represented (a sum past 64 bits).
    func checkRepresentable(slots: Int) throws
}

extension GroupedAggregate {
    func combine(_ other: any GroupedAggregate, slots sources: [Int], into targets: [Int]) {
        for (source, target) in zip(sources, targets) { combine(other, slot: source, into: target) }
    }

    func absorb(_ other: any GroupedAggregate, slotCount: Int) {
        for slot in 0..<slotCount { combine(other, slot: slot, into: slot) }
    }

    func doubleValue(slot: Int, rows: Int64) -> Double? { value(slot: slot, rows: rows).doubleValue }
    func doubleValues(slots: [Int], rows: [Int64]) -> [Double] { slots.map { doubleValue(slot: $0, rows: rows[$0]) ?? 0 } }
    func checkRepresentable(slots: Int) throws {}
}

/// The rows of one row group that an aggregate update sees, and the slot of each row.
struct ScanBatch {
    let reader: RowGroupReader
    let expressions: ExpressionEvaluator
    let rowCount: Int
    /// The rows passing the filter, ascending; nil for every row.
    let selection: UnsafeBufferPointer<Int32>?
    /// `slots[row]`: the group slot of each row (defined on selected rows).
    let slots: UnsafePointer<Int32>
    /// When every row is selected and rows come in long stretches of one group (rows of an
    /// account are adjacent): those stretches, so counts and run-length sums go run by run.
    let slotRuns: UnsafeBufferPointer<SlotRun>?

    /// Calls `body` for each selected row.
    @inline(__always)
    func forEachRow(_ body: (Int) -> Void) {
        ChurnQuery.forEachRow(rowCount, selection, body)
    }
}

extension AggregateSpec {
    /// Whether the state is a floating-point sum, whose last bits depend on the order in which
    /// the rows are added (exact sums, counts and extremes do not).
    var dependsOnAdditionOrder: Bool {
        switch self {
        case let .sum(input), let .lastSum(input, _):
            if case .exact = input.valueType { return false }
            return true
        case .secondMoments: return true
        default: return false
        }
    }

    /// The function computing this aggregate.
    func makeAggregate(catalog: CubeCatalog, distinctBitmapSlots: Int?) -> any GroupedAggregate {
        switch self {
        case .countRows: return CountRowsAggregate()
        case let .count(input): return CountAggregate(input: .expression(input))
        case let .countAttribute(attribute): return CountAggregate(input: .attribute(catalog.attributes[attribute]))
        case let .countDistinct(attribute):
            return CountDistinctAggregate(attribute: catalog.attributes[attribute], bitmapSlots: distinctBitmapSlots)
        case let .sum(input):
            if case let .exact(scale) = input.valueType { return ExactSumAggregate(input: input, scale: scale) }
            return DoubleSumAggregate(input: input)
        case let .min(input): return ExtremumAggregate(input: input, isMinimum: true)
        case let .max(input): return ExtremumAggregate(input: input, isMinimum: false)
        case let .minAttribute(attribute): return AttributeExtremumAggregate(attribute: catalog.attributes[attribute], isMinimum: true)
        case let .maxAttribute(attribute): return AttributeExtremumAggregate(attribute: catalog.attributes[attribute], isMinimum: false)
        case let .lastSum(input, attribute): return LastPeriodSumAggregate(input: input, attribute: catalog.attributes[attribute])
        case let .secondMoments(x, y): return SecondMomentsAggregate(x: x, y: y)
        }
    }
}

/// Consecutive rows of one group slot.
struct SlotRun {
    var slot: Int32
    var length: Int32
}

/// Code of each selected row of an attribute (a level maps the stored code).
@inline(__always)
func attributeCode(_ attribute: GroupAttribute, _ codes: UnsafeBufferPointer<UInt32>, _ row: Int) -> UInt32 {
    guard let codeMap = attribute.codeMap else { return codes[row] }
    return codeMap[Int(codes[row])]
}
