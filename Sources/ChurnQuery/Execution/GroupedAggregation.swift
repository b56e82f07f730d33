import ChurnStorage

/// Aggregate states for every group of one grouping: row counts, sums, minima and maxima,
/// distinct sets and last-period sums, one slot per group.
///
/// Groups are identified by a combined key: the attribute codes in mixed radix. When the
/// product of the attributes' code counts is small the combined key is the slot itself (dense
/// arrays, no hashing); otherwise a hash map assigns slots. States merge slot by slot, which is
/// how worker threads combine and how coarser grouping sets derive from the finest.
final class GroupedAggregation {
    /// Above this many possible groups, slots are assigned by hashing.
    static let denseLimit = 1 << 16

    let specs: [AggregateSpec]
    /// Code count of each key attribute; the combined key is Σ code_k × Π_{j>k} radix_j.
    let radices: [Int]
    let isDense: Bool
    private(set) var slotCount = 0
    /// Combined key of each slot (hash mode; in dense mode the slot is the key).
    private(set) var keyOfSlot: [UInt64] = []
    private var slotOfKey: [UInt64: Int32] = [:]
    /// Rows per slot; a slot with no rows is no group.
    var rows: [Int64] = []
    var states: [AggregateState]

    /// Per-spec state arrays; only those the spec needs are used.
    struct AggregateState {
        var integers: [Int64] = []
        var doubles: [Double] = []
        /// Rows where the input was NULL (so a SUM of only NULLs is NULL).
        var nulls: [Int64] = []
        var ranks: [UInt32] = []
        var distinct: [Set<UInt32>] = []
        /// COUNT(DISTINCT) as one bitmap per slot over the attribute's codes, `bitmapWords` words
        /// each, when the grouping is dense and small enough: a bit set per row instead of a hash insert.
        var bitmaps: [UInt64] = []
        var bitmapWords = 0
        /// Whether `integers` holds the values (exact sums of integer or decimal columns).
        var exact: Bool
    }

    /// Bitmaps for COUNT(DISTINCT) may take up to this many words per aggregation (32 MB).
    static let bitmapWordLimit = 4 << 20

    /// `distinctCodeCounts[i]` is the code count of a COUNT(DISTINCT) spec's attribute (bitmaps
    /// are used when known and affordable), 0 otherwise.
    init(specs: [AggregateSpec], radices: [Int], exactInputs: [Bool], distinctCodeCounts: [Int] = []) throws {
        self.specs = specs
        self.radices = radices
        var product: UInt64 = 1
        var overflow = false
        for radix in radices {
            let (next, didOverflow) = product.multipliedReportingOverflow(by: UInt64(max(1, radix)))
            if didOverflow { overflow = true }
            product = next
        }
        if overflow { throw QueryError("too many possible groups for one grouping (more than 2^64)", at: .synthesized) }
        isDense = product <= UInt64(Self.denseLimit)
        states = exactInputs.map { AggregateState(exact: $0) }
        if isDense {
            for (index, codeCount) in distinctCodeCounts.enumerated() where codeCount > 0 {
                let words = (codeCount + 63) / 64
                if words * Int(product) <= Self.bitmapWordLimit {
                    states[index].bitmapWords = words
                    states[index].bitmaps = [UInt64](repeating: 0, count: words * Int(product))
                }
            }
            addSlots(Int(product))
        }
    }

    private func addSlots(_ count: Int) {
        slotCount += count
        rows.append(contentsOf: repeatElement(0, count: count))
        for index in states.indices {
            switch specs[index] {
            case .countRows: break
            case .count, .countAttribute:
                states[index].integers.append(contentsOf: repeatElement(0, count: count))
            case .countDistinct:
                states[index].distinct.append(contentsOf: repeatElement([], count: count))
            case .sum:
                if states[index].exact { states[index].integers.append(contentsOf: repeatElement(0, count: count)) }
                else { states[index].doubles.append(contentsOf: repeatElement(0, count: count)) }
                states[index].nulls.append(contentsOf: repeatElement(0, count: count))
            case .min, .max:
                if states[index].exact {
                    states[index].integers.append(contentsOf: repeatElement(specs[index].isMin ? .max : .min, count: count))
                } else {
                    states[index].doubles.append(contentsOf: repeatElement(specs[index].isMin ? .infinity : -.infinity, count: count))
                }
                states[index].nulls.append(contentsOf: repeatElement(0, count: count))
            case .minAttribute, .maxAttribute:
                states[index].ranks.append(contentsOf: repeatElement(specs[index].isMin ? .max : 0, count: count))
            case .lastSum:
                if states[index].exact { states[index].integers.append(contentsOf: repeatElement(0, count: count)) }
                else { states[index].doubles.append(contentsOf: repeatElement(0, count: count)) }
                states[index].nulls.append(contentsOf: repeatElement(0, count: count))
                states[index].ranks.append(contentsOf: repeatElement(0, count: count))
            }
        }
    }

    /// Gives `body` exclusive access to one aggregate's state, so it can work on several of its
    /// arrays at once.
    @inline(__always)
    func withState<R>(_ index: Int, _ body: (inout AggregateState) throws -> R) rethrows -> R {
        try body(&states[index])
    }

    /// The slot of a combined key, created when new.
    @inline(__always)
    func slot(forKey key: UInt64) -> Int32 {
        if isDense { return Int32(truncatingIfNeeded: key) }
        if let slot = slotOfKey[key] { return slot }
        let slot = Int32(slotCount)
        slotOfKey[key] = slot
        keyOfSlot.append(key)
        addSlots(1)
        return slot
    }

    func key(ofSlot slot: Int) -> UInt64 { isDense ? UInt64(slot) : keyOfSlot[slot] }

    /// The attribute codes of a combined key.
    func codes(ofKey key: UInt64) -> [UInt32] {
        var remaining = key
        var codes = [UInt32](repeating: 0, count: radices.count)
        for position in radices.indices.reversed() {
            let radix = UInt64(max(1, radices[position]))
            codes[position] = UInt32(remaining % radix)
            remaining /= radix
        }
        return codes
    }

    /// Slots that hold at least one row.
    var occupiedSlots: [Int] { (0..<slotCount).filter { rows[$0] > 0 } }

    // MARK: - Merge

    /// Adds the state of `other`'s slot `source` into this aggregation's slot `target`.
    func merge(_ other: GroupedAggregation, slot source: Int, into target: Int) {
        rows[target] += other.rows[source]
        for index in states.indices {
            let from = other.states[index]
            switch specs[index] {
            case .countRows: break
            case .count, .countAttribute:
                states[index].integers[target] += from.integers[source]
            case .countDistinct:
                mergeDistinct(index, from: from, slot: source, into: target)
            case .sum:
                if states[index].exact { states[index].integers[target] &+= from.integers[source] }
                else { states[index].doubles[target] += from.doubles[source] }
                states[index].nulls[target] += from.nulls[source]
            case .min, .max:
                let isMin = specs[index].isMin
                if states[index].exact {
                    let (a, b) = (states[index].integers[target], from.integers[source])
                    states[index].integers[target] = isMin ? Swift.min(a, b) : Swift.max(a, b)
                } else {
                    let (a, b) = (states[index].doubles[target], from.doubles[source])
                    states[index].doubles[target] = isMin ? Swift.min(a, b) : Swift.max(a, b)
                }
                states[index].nulls[target] += from.nulls[source]
            case .minAttribute, .maxAttribute:
                let (a, b) = (states[index].ranks[target], from.ranks[source])
                states[index].ranks[target] = specs[index].isMin ? Swift.min(a, b) : Swift.max(a, b)
            case .lastSum:
                let (mine, theirs) = (states[index].ranks[target], from.ranks[source])
                if theirs > mine {
                    states[index].ranks[target] = theirs
                    if states[index].exact { states[index].integers[target] = from.integers[source] }
                    else { states[index].doubles[target] = from.doubles[source] }
                    states[index].nulls[target] = from.nulls[source]
                } else if theirs == mine {
                    if states[index].exact { states[index].integers[target] &+= from.integers[source] }
                    else { states[index].doubles[target] += from.doubles[source] }
                    states[index].nulls[target] += from.nulls[source]
                }
            }
        }
    }

    private func mergeDistinct(_ index: Int, from: AggregateState, slot source: Int, into target: Int) {
        let words = states[index].bitmapWords
        if from.bitmapWords > 0 {
            let start = source * from.bitmapWords
            if words == from.bitmapWords {
                let base = target * words
                for word in 0..<words { states[index].bitmaps[base + word] |= from.bitmaps[start + word] }
            } else {
                for word in 0..<from.bitmapWords where from.bitmaps[start + word] != 0 {
                    var bits = from.bitmaps[start + word]
                    while bits != 0 {
                        states[index].distinct[target].insert(UInt32(word * 64 + bits.trailingZeroBitCount))
                        bits &= bits - 1
                    }
                }
            }
        } else if !from.distinct[source].isEmpty {
            if words > 0 {
                for code in from.distinct[source] { states[index].bitmaps[target * words + Int(code >> 6)] |= 1 << UInt64(code & 63) }
            } else {
                states[index].distinct[target].formUnion(from.distinct[source])
            }
        }
    }

    /// The number of distinct codes a COUNT(DISTINCT) slot holds.
    func distinctCount(_ index: Int, slot: Int) -> Int {
        let state = states[index]
        guard state.bitmapWords > 0 else { return state.distinct[slot].count }
        let start = slot * state.bitmapWords
        return state.bitmaps[start..<start + state.bitmapWords].reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Merges every group of `other` (same keys) into this aggregation.
    func mergeAll(_ other: GroupedAggregation) {
        for source in 0..<other.slotCount where other.rows[source] > 0 {
            merge(other, slot: source, into: Int(slot(forKey: other.key(ofSlot: source))))
        }
    }
}

extension AggregateSpec {
    var isMin: Bool {
        switch self {
        case .min, .minAttribute: return true
        default: return false
        }
    }

    /// Whether the input is a plain integer or decimal column, summed exactly in integers.
    var hasExactInput: Bool {
        guard let input else { return false }
        if case let .column(_, _, type) = input { return type != .double }
        return false
    }
}
