import ChurnStorage

/// The aggregate states of every group of one grouping: rows per group, then one
/// `GroupedAggregate` per aggregate of the query.
///
/// Groups are identified by a combined key: the attribute codes in mixed radix. When the code
/// space is small (or, for one high-cardinality attribute such as the account, no larger than the
/// data) the combined key is the slot itself: dense arrays, no hashing. Otherwise an
/// open-addressing table assigns slots in order of first appearance. States merge slot by slot,
/// which is how worker threads combine and how coarser grouping sets derive from the finest.
final class GroupedAggregation {
    /// Dense arrays are used up to this many possible groups whatever the data size...
    static let denseLimit = 1 << 16
    /// ... and up to this many when the data has at least as many rows as possible groups.
    static let denseLimitForLargeData = 1 << 22

    let specs: [AggregateSpec]
    /// Code count of each key attribute; the combined key is Σ code_k × Π_{j>k} radix_j.
    let radices: [Int]
    let isDense: Bool
    /// Π_{j>k} radix_j for each key attribute k: the place value of its code.
    private let trailingProducts: [UInt64]
    private(set) var slotCount = 0
    /// Slots whose states exist (zeroed past `slotCount`): a hash grouping grows its states in
    /// steps, not one slot at a time, since each step visits every aggregate.
    private var allocatedSlots = 0
    /// Combined key of each slot (hash mode; in dense mode the slot is the key).
    private(set) var keyOfSlot: [UInt64] = []
    private var table = SlotTable()
    /// Rows per slot; a slot with no rows is no group.
    var rows: [Int64] = []
    let aggregates: [any GroupedAggregate]

    /// `rowCount`: the rows the grouping may see, which bounds the dense arrays worth allocating.
    init(specs: [AggregateSpec], radices: [Int], catalog: CubeCatalog, rowCount: Int) throws {
        self.specs = specs
        self.radices = radices
        trailingProducts = Self.placeValues(radices)
        let product = try Self.keySpace(radices)
        let dense = product <= UInt64(Self.denseLimit)
            || (product <= UInt64(Self.denseLimitForLargeData) && product <= UInt64(max(0, rowCount)))
        isDense = dense
        // A dense grouping may keep a bitmap per slot (within CountDistinctAggregate's budget):
        // distinct months per account is one word per account.
        aggregates = specs.map { $0.makeAggregate(catalog: catalog, distinctBitmapSlots: dense ? Int(product) : nil) }
        if isDense { addSlots(Int(product)) }
    }

    /// A grouping over states made elsewhere: a remote engine's results fill them.
    init(specs: [AggregateSpec], radices: [Int], aggregates: [any GroupedAggregate]) throws {
        self.specs = specs
        self.radices = radices
        trailingProducts = Self.placeValues(radices)
        let product = try Self.keySpace(radices)
        isDense = product <= UInt64(Self.denseLimit)
        self.aggregates = aggregates
        if isDense { addSlots(Int(product)) }
    }

    /// An empty grouping with the same functions as `template` (a worker's partial, or a coarser set).
    init(sameFunctionsAs template: GroupedAggregation, radices: [Int]) throws {
        specs = template.specs
        self.radices = radices
        trailingProducts = Self.placeValues(radices)
        let product = try Self.keySpace(radices)
        isDense = product <= UInt64(Self.denseLimit) || (template.isDense && radices == template.radices)
        aggregates = template.aggregates.map { $0.makeEmpty() }
        if isDense { addSlots(Int(product)) }
    }

    private static func placeValues(_ radices: [Int]) -> [UInt64] {
        var values = [UInt64](repeating: 1, count: radices.count)
        var product: UInt64 = 1
        for position in radices.indices.reversed() {
            values[position] = product
            product = product &* UInt64(max(1, radices[position]))
        }
        return values
    }

    private static func keySpace(_ radices: [Int]) throws -> UInt64 {
        var product: UInt64 = 1
        for radix in radices {
            let (next, overflow) = product.multipliedReportingOverflow(by: UInt64(max(1, radix)))
            if overflow { throw QueryError("too many possible groups for one grouping (more than 2^64)", at: .synthesized) }
            product = next
        }
        return product
    }

    private func addSlots(_ count: Int) {
        slotCount += count
        guard slotCount > allocatedSlots else { return }
        // An eighth more at a time: amortized growth, at most 12.5% of states unused.
        let grown = isDense ? slotCount : max(slotCount, allocatedSlots + max(1024, allocatedSlots / 8))
        let added = grown - allocatedSlots
        allocatedSlots = grown
        rows.append(contentsOf: repeatElement(0, count: added))
        for aggregate in aggregates { aggregate.appendSlots(added) }
    }

    /// The slot of a combined key, created when new.
    @inline(__always)
    func slot(forKey key: UInt64) -> Int32 {
        if isDense { return Int32(truncatingIfNeeded: key) }
        let found = table.slot(of: key)
        if found >= 0 { return found }
        let slot = Int32(slotCount)
        table.insert(key, slot: slot)
        keyOfSlot.append(key)
        addSlots(1)
        return slot
    }

    func key(ofSlot slot: Int) -> UInt64 { isDense ? UInt64(slot) : keyOfSlot[slot] }

    /// The attribute codes of a combined key.
    func codes(ofKey key: UInt64) -> [UInt32] {
        var codes = [UInt32](repeating: 0, count: radices.count)
        self.codes(ofKey: key, into: &codes)
        return codes
    }

    /// The attribute codes of a combined key, into a buffer of one entry per key attribute.
    func codes(ofKey key: UInt64, into codes: inout [UInt32]) {
        var remaining = key
        for position in radices.indices.reversed() {
            let radix = UInt64(max(1, radices[position]))
            codes[position] = UInt32(remaining % radix)
            remaining /= radix
        }
    }

    /// The code of key attribute `position` in a combined key.
    @inline(__always)
    func code(ofKey key: UInt64, at position: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: (key / trailingProducts[position]) % UInt64(max(1, radices[position])))
    }

    /// Slots that hold at least one row.
    var occupiedSlots: [Int] { (0..<slotCount).filter { rows[$0] > 0 } }

    /// Memory held by the states and the key table, for EXPLAIN.
    var byteCount: Int {
        slotCount * (8 + aggregates.reduce(0) { $0 + $1.bytesPerSlot } + (isDense ? 0 : 8)) + (isDense ? 0 : table.byteCount)
    }

    /// Throws when a group's aggregate cannot be represented (a sum past 64 bits).
    func checkRepresentable() throws {
        for aggregate in aggregates { try aggregate.checkRepresentable(slots: slotCount) }
    }

    func value(_ index: Int, slot: Int) -> ResultValue { aggregates[index].value(slot: slot, rows: rows[slot]) }

    // MARK: - Merge

    /// Adds the state of `other`'s slot `source` into this aggregation's slot `target`.
    func merge(_ other: GroupedAggregation, slot source: Int, into target: Int) {
        rows[target] += other.rows[source]
        for (mine, theirs) in zip(aggregates, other.aggregates) { mine.combine(theirs, slot: source, into: target) }
    }

    /// Merges every group of `other` (same keys) into this aggregation.
    func mergeAll(_ other: GroupedAggregation) {
        if isDense && other.isDense && radices == other.radices {
            // Same key space: slot i is the same group on both sides, so states add array to array.
            rows.withUnsafeMutableBufferPointer { rows in
                other.rows.withUnsafeBufferPointer { theirs in for slot in 0..<other.slotCount { rows[slot] += theirs[slot] } }
            }
            for (mine, theirs) in zip(aggregates, other.aggregates) { mine.absorb(theirs, slotCount: other.slotCount) }
            return
        }
        // Every group's slot here first (adding the groups this side lacks), then each
        // aggregate's states in one pass: one call per aggregate, not one per group.
        var sources: [Int] = [], targets: [Int] = []
        sources.reserveCapacity(other.slotCount)
        targets.reserveCapacity(other.slotCount)
        for source in 0..<other.slotCount where other.rows[source] > 0 {
            sources.append(source)
            targets.append(Int(slot(forKey: other.key(ofSlot: source))))
        }
        for (source, target) in zip(sources, targets) { rows[target] += other.rows[source] }
        for (mine, theirs) in zip(aggregates, other.aggregates) { mine.combine(theirs, slots: sources, into: targets) }
    }
}
