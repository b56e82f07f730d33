import ChurnQuery
import ChurnStorage

/// Every cuboid a search judges: all sets of 1…depth distinct dimensions that never pair a
/// dimension with its hierarchy ancestor, each aggregated once.
///
/// The deepest cuboids are aggregated from the finest cells; each shallower one is rolled up
/// from an already aggregated cuboid with one dimension more, which is far smaller than the
/// finest grouping. Building checks for cancellation between blocks of `blockSize` cells.
///
/// Cluster moments (over accounts) add up only where no account has rows in two of the cells
/// added. When a dimension changes within an account (health, month to month), a cuboid that
/// does not group by it is aggregated from the finest cells merged over it, each account's parts
/// summed before squaring (`FinestCells.init(merging:)`), and rolled up only over dimensions
/// that never change within an account: every cuboid's variances are exact.
struct CuboidLattice: Sendable {
    /// Ordered by depth, then by dimension positions.
    private(set) var cuboids: [Cuboid] = []
    private var indexByMask: [UInt64: Int] = [:]
    /// The whole slice.
    let whole: Moments
    /// The input's cells, flattened: what the main-effects fit runs over.
    let finest: FinestCells
    /// For a dimension with a hierarchy parent, the parent level's code of each of its codes: the
    /// parent member holding most of its rows, a real one before a blank one
    /// (`FinestCells.rollUpCodes`; `UInt32.max` for a code never seen); nil otherwise.
    let rollUpCodes: [[UInt32]?]
    private let hierarchyParents: [Int?]
    /// Dimensions (a mask) whose code changes within some account.
    let varyingDimensions: UInt64
    /// Merged copies of the finest cells built for the cuboids that leave out a varying dimension.
    private(set) var mergedFinestCount = 0
    /// Cells of those copies.
    private(set) var mergedFinestCells = 0
    /// Time spent building them.
    private(set) var mergingTime: Duration = .zero

    /// Largest dense cuboid accepted.
    static let maximumCellCount = 1 << 24

    /// Cells aggregated between two checks for cancellation: well under a millisecond of work.
    static let blockSize = 1 << 16

    init(input: HotspotInput, depth: Int, cancellation: Cancellation = .never) throws {
        try Self.checkSizes(input.dimensions, depth: depth)
        try self.init(finest: FinestCells(input: input, cancellation: cancellation), dimensions: input.dimensions,
                      clusterParts: input.clusterParts, depth: depth, cancellation: cancellation)
    }

    /// The lattice over finest cells already flattened (another numerator over the same cells).
    /// Without `clusterParts` no dimension counts as varying within an account.
    init(finest: FinestCells, dimensions: [HotspotDimension], clusterParts: MomentTable.ClusterParts?, depth: Int,
         cancellation: Cancellation = .never) throws {
        let dimensionCount = dimensions.count
        let related = try Self.hierarchyRelations(dimensions)
        let sets = Self.dimensionSets(count: dimensionCount, depth: depth, related: related)
        let radices = dimensions.map(\.cardinality)
        try Self.checkSizes(dimensions, depth: depth)
        self.finest = finest
        let clock = ContinuousClock()
        let started = clock.now
        let varying = clusterParts.map { FinestCells.varyingDimensions(of: finest, parts: $0) } ?? 0
        varyingDimensions = varying
        // One finest grouping per set of varying dimensions a cuboid groups by; the whole set is `finest` itself.
        var sources: [UInt64: FinestCells] = [varying: finest]
        if varying != 0, let parts = clusterParts {
            let all: UInt64 = dimensionCount == 64 ? ~0 : (1 << UInt64(dimensionCount)) - 1
            for variant in Set([0] + sets.map { set in set.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) } & varying }) where sources[variant] == nil {
                let merged = try FinestCells(merging: finest, keeping: (all & ~varying) | variant, radices: radices, parts: parts,
                                             cancellation: cancellation)
                sources[variant] = merged
                mergedFinestCount += 1
                mergedFinestCells += merged.moments.count
            }
        }
        whole = sources[0]?.total ?? finest.total
        mergingTime = clock.now - started
        hierarchyParents = dimensions.map(\.hierarchyParent)
        rollUpCodes = dimensions.indices.map { finest.rollUpCodes(of: $0, in: dimensions) }
        cuboids.reserveCapacity(sets.count)
        for set in sets {
            try cancellation.check()
            cuboids.append(Cuboid(dimensions: set, radices: set.map { radices[$0] }))
        }
        for (index, cuboid) in cuboids.enumerated() { indexByMask[cuboid.mask] = index }

        // Deepest first, a depth at a time, so every shallower cuboid can roll up a finer one
        // already done; the cuboids of one depth are independent and aggregate in parallel.
        let plans = cuboids.map { smallestFiner(than: $0, depth: depth, varying: varying) }
        let sourceCells = sources
        for level in Set(cuboids.map(\.depth)).sorted(by: >) {
            let indices = cuboids.indices.filter { cuboids[$0].depth == level }
            let items = Self.workItems(indices, cuboids: cuboids, plans: plans, varying: varying)
            let done = cuboids
            let built = try parallelMap(items.count) { item -> [[Moments]] in
                let first = items[item][0]
                var cuboid = done[first]
                if let (finer, droppedPosition) = plans[first] {
                    try Self.inBlocks(of: done[finer].moments.count, cancellation) { cells in
                        cuboid.accumulate(rollingUp: done[finer], droppingPosition: droppedPosition, cells: cells)
                    }
                    return [cuboid.moments]
                }
                let source = sourceCells[cuboid.mask & varying]!
                guard items[item].count > 1 else {
                    try Self.inBlocks(of: source.moments.count, cancellation) { source.aggregate(cells: $0, into: &cuboid) }
                    return [cuboid.moments]
                }
                let batch = items[item].map { done[$0] }
                let targets = batch.map { cuboid in
                    let buffer = UnsafeMutablePointer<Moments>.allocate(capacity: cuboid.cellCount)
                    buffer.initialize(repeating: .zero, count: cuboid.cellCount)
                    return buffer
                }
                defer { for target in targets { target.deallocate() } }
                try Self.inBlocks(of: source.moments.count, cancellation) { source.aggregate(cells: $0, into: targets, as: batch) }
                return zip(targets, batch).map { Array(UnsafeBufferPointer(start: $0, count: $1.cellCount)) }
            }
            for (item, members) in items.enumerated() {
                for (position, index) in members.enumerated() { cuboids[index].moments = built[item][position] }
            }
        }
    }

    /// Largest sum of the tables of one batch of cuboids aggregated together from the finest
    /// cells, and most cuboids in one: the batch's tables should stay in the core's cache.
    static let batchBytes = 1 << 20
    static let batchLimit = 16

    /// `body` over the cells 0..<count in blocks of `blockSize`, checking for cancellation
    /// before each.
    private static func inBlocks(of count: Int, _ cancellation: Cancellation, _ body: (Range<Int>) throws -> Void) throws {
        for start in stride(from: 0, to: count, by: blockSize) {
            try cancellation.check()
            try body(start..<min(start + blockSize, count))
        }
    }

    /// The cuboids of one depth as units of work: one rolled up from a finer cuboid alone; the
    /// others (of depth 3 at most) in batches that read one source (finest cells) once per
    /// batch, not once each.
    private static func workItems(_ indices: [Int], cuboids: [Cuboid], plans: [(Int, Int)?], varying: UInt64) -> [[Int]] {
        var items = indices.filter { plans[$0] != nil || cuboids[$0].depth > 3 }.map { [$0] }
        let fromSource = indices.filter { plans[$0] == nil && cuboids[$0].depth <= 3 }
        var groups: [UInt64: [Int]] = [:]
        for index in fromSource { groups[cuboids[index].mask & varying, default: []].append(index) }
        for key in groups.keys.sorted() {
            var batch: [Int] = [], bytes = 0
            for index in groups[key]! {
                let size = cuboids[index].cellCount * MemoryLayout<Moments>.stride
                if !batch.isEmpty && (bytes + size > batchBytes || batch.count == batchLimit) {
                    items.append(batch)
                    batch = []
                    bytes = 0
                }
                batch.append(index)
                bytes += size
            }
            if !batch.isEmpty { items.append(batch) }
        }
        return items
    }

    /// Refuses a search whose cuboids would be too large to hold densely.
    private static func checkSizes(_ dimensions: [HotspotDimension], depth: Int) throws {
        let related = try hierarchyRelations(dimensions)
        let radices = dimensions.map(\.cardinality)
        for set in dimensionSets(count: dimensions.count, depth: depth, related: related) {
            let cells = set.reduce(1) { $0 * radices[$1] }
            if cells > maximumCellCount {
                throw HotspotError.cuboidTooLarge(dimensions: set.map { dimensions[$0].name }, cells: cells)
            }
        }
    }

    var count: Int { cuboids.count }

    func index(ofMask mask: UInt64) -> Int? { indexByMask[mask] }

    /// The cuboid without the dimension at `position` of `cuboid`; nil for the whole slice.
    func parent(of cuboid: Cuboid, droppingPosition position: Int) -> Int? {
        guard cuboid.depth > 1 else { return nil }
        return indexByMask[cuboid.mask & ~(1 << UInt64(cuboid.dimensions[position]))]
    }

    /// For each subset of a cuboid's positions (bit i: position i kept), the cuboid of those
    /// positions' dimensions (nil: the whole slice); what a fit's variance is linearized over.
    func projectionPlan(of cuboid: Cuboid) -> [Int?] {
        (0..<(1 << cuboid.depth)).map { subset in
            let mask = cuboid.dimensions.indices.reduce(UInt64(0)) { mask, position in
                subset & (1 << position) != 0 ? mask | (1 << UInt64(cuboid.dimensions[position])) : mask
            }
            return mask == 0 ? nil : index(ofMask: mask)
        }
    }

    /// The cell's moments in each cuboid of `plan` (the cell itself last), into `projected`,
    /// which holds one per subset.
    func project(_ index: Int, in cuboid: Cuboid, plan: [Int?], into projected: inout [Moments]) {
        for (subset, target) in plan.enumerated() {
            guard let target else {
                projected[subset] = whole
                continue
            }
            let projection = cuboids[target]
            var projectedIndex = 0, slot = 0
            for position in 0..<cuboid.depth where subset & (1 << position) != 0 {
                projectedIndex += (index / cuboid.strides[position]) % cuboid.radices[position] * projection.strides[slot]
                slot += 1
            }
            projected[subset] = projection.moments[projectedIndex]
        }
    }

    /// The cell that rolls the condition at `position` up one hierarchy level
    /// (`country = US, channel = reseller` -> `region = amer, channel = reseller`): its cuboid,
    /// its index there, and the parent level's condition. Nil without a hierarchy parent.
    func rolledUpParent(of cuboid: Cuboid, index: Int, position: Int) -> (cuboid: Int, index: Int, condition: HotspotCondition)? {
        let dimension = cuboid.dimensions[position]
        guard let parentLevel = hierarchyParents[dimension], let codes = rollUpCodes[dimension] else { return nil }
        var cellCodes = cuboid.codes(of: index)
        let parentCode = codes[Int(cellCodes[position])]
        guard parentCode != UInt32.max,
            let target = indexByMask[cuboid.mask & ~(1 << UInt64(dimension)) | (1 << UInt64(parentLevel))]
        else { return nil }
        cellCodes[position] = parentCode
        var byDimension = Dictionary(uniqueKeysWithValues: zip(cuboid.dimensions, cellCodes))
        byDimension[parentLevel] = parentCode
        byDimension[dimension] = nil
        let rolledUp = cuboids[target]
        var targetIndex = 0
        for (slot, level) in rolledUp.dimensions.enumerated() {
            targetIndex += Int(byDimension[level]!) * rolledUp.strides[slot]
        }
        return (target, targetIndex, HotspotCondition(dimension: parentLevel, code: parentCode))
    }

    /// The cheapest aggregated cuboid with one dimension more, one that never changes within an
    /// account, and the position of that dimension in it.
    private func smallestFiner(than cuboid: Cuboid, depth: Int, varying: UInt64) -> (Int, Int)? {
        guard cuboid.depth < depth else { return nil }
        var best: (index: Int, position: Int, cells: Int)?
        for (index, candidate) in cuboids.enumerated()
        where candidate.depth == cuboid.depth + 1 && candidate.mask & cuboid.mask == cuboid.mask
            && (candidate.mask & ~cuboid.mask) & varying == 0 {
            guard best == nil || candidate.cellCount < best!.cells else { continue }
            let extra = candidate.dimensions.firstIndex { cuboid.mask & (1 << UInt64($0)) == 0 }!
            best = (index, extra, candidate.cellCount)
        }
        return best.map { ($0.index, $0.position) }
    }

    // MARK: - Enumeration

    /// For each dimension, the mask of its hierarchy ancestors and descendants.
    static func hierarchyRelations(_ dimensions: [HotspotDimension]) throws(HotspotError) -> [UInt64] {
        guard dimensions.count <= 64 else { throw .tooManyDimensions(dimensions.count) }
        var related = [UInt64](repeating: 0, count: dimensions.count)
        for (index, dimension) in dimensions.enumerated() {
            var next = dimension.hierarchyParent
            var steps = 0
            while let ancestor = next {
                guard ancestor >= 0, ancestor < dimensions.count else {
                    throw .hierarchyParentOutOfRange(dimension: dimension.name, parent: ancestor)
                }
                steps += 1
                guard ancestor != index, steps <= dimensions.count else {
                    throw .hierarchyCycle(dimension: dimension.name)
                }
                related[index] |= 1 << UInt64(ancestor)
                related[ancestor] |= 1 << UInt64(index)
                next = dimensions[ancestor].hierarchyParent
            }
        }
        return related
    }

    /// Every set of 1…depth dimension positions (ascending) with no two hierarchy-related members,
    /// ordered by size, then lexicographically.
    static func dimensionSets(count: Int, depth: Int, related: [UInt64]) -> [[Int]] {
        var sets: [[Int]] = []
        func extend(_ set: [Int], mask: UInt64, from start: Int, size: Int) {
            if set.count == size {
                sets.append(set)
                return
            }
            for dimension in start..<count where related[dimension] & mask == 0 {
                extend(set + [dimension], mask: mask | (1 << UInt64(dimension)), from: dimension + 1, size: size)
            }
        }
        for size in 1...max(1, min(depth, count)) where count > 0 {
            extend([], mask: 0, from: 0, size: size)
        }
        return sets
    }
}
