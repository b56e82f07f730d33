import ChurnQuery

/// The finest cells in a flat layout: codes cell-major, moments alongside.
///
/// A merged copy (`init(merging:)`) groups the cells by some dimensions only, the codes of the
/// others set to 0, with each account's parts summed before they are squared: the exact cluster
/// moments of the cuboids that do not group by the dimensions left out.
struct FinestCells: Sendable {
    let dimensionCount: Int
    let codes: [UInt32]
    let moments: [Moments]
    let total: Moments

    init(input: HotspotInput, cancellation: Cancellation) throws {
        dimensionCount = input.dimensions.count
        var codes: [UInt32] = []
        codes.reserveCapacity(input.cells.count * dimensionCount)
        var moments: [Moments] = []
        moments.reserveCapacity(input.cells.count)
        var total = Moments.zero
        for (index, cell) in input.cells.enumerated() {
            if index % CuboidLattice.blockSize == 0 { try cancellation.check() }
            guard cell.key.count == dimensionCount else {
                throw HotspotError.keyLength(cell: index, found: cell.key.count, expected: dimensionCount)
            }
            for (dimension, code) in cell.key.enumerated() where Int(code) >= input.dimensions[dimension].cardinality {
                let definition = input.dimensions[dimension]
                throw HotspotError.codeOutOfRange(dimension: definition.name, code: code, cardinality: definition.cardinality)
            }
            codes.append(contentsOf: cell.key)
            moments.append(cell.moments)
            total += cell.moments
        }
        self.codes = codes
        self.moments = moments
        self.total = total
    }

    /// The same cells with other moments, one per cell in order (another numerator's sums).
    func replacingMoments(_ moments: [Moments]) -> FinestCells {
        precondition(moments.count == self.moments.count, "one moment per finest cell")
        return FinestCells(dimensionCount: dimensionCount, codes: codes, moments: moments)
    }

    private init(dimensionCount: Int, codes: [UInt32], moments: [Moments]) {
        self.dimensionCount = dimensionCount
        self.codes = codes
        self.moments = moments
        total = moments.reduce(into: Moments.zero) { $0 += $1 }
    }

    /// The cells grouped by the dimensions in `kept` (a mask), with the cluster moments of the
    /// accounts' `parts` (of `finest`'s cells) merged per new cell. A cell no part names keeps
    /// its own cluster moments.
    init(merging finest: FinestCells, keeping kept: UInt64, radices: [Int], parts: MomentTable.ClusterParts,
         cancellation: Cancellation) throws {
        let width = finest.dimensionCount
        dimensionCount = width
        let keptDimensions = (0..<width).filter { kept & (1 << UInt64($0)) != 0 }
        var packedSpace: UInt64? = 1
        for dimension in keptDimensions {
            let (product, overflow) = (packedSpace ?? 0).multipliedReportingOverflow(by: UInt64(max(1, radices[dimension])))
            packedSpace = overflow || packedSpace == nil ? nil : product
        }
        var cellOf = [Int32](repeating: 0, count: finest.moments.count)
        var codes: [UInt32] = []
        var moments: [Moments] = []
        var packedIndex = SlotTable(capacity: packedSpace != nil ? finest.moments.count : 16)
        var listIndex: [[UInt32]: Int32] = [:]
        // Plain loops over local arrays: no closure captures to check for exclusive access.
        let source = finest.codes
        for cell in 0..<finest.moments.count {
            let base = cell * width
            let merged: Int32
            let fresh = Int32(moments.count)
            if packedSpace != nil {
                var key: UInt64 = 0
                for dimension in keptDimensions { key = key * UInt64(max(1, radices[dimension])) + UInt64(source[base + dimension]) }
                let found = packedIndex.slot(of: key)
                if found >= 0 { merged = found } else { merged = fresh; packedIndex.insert(key, slot: fresh) }
            } else {
                let key = keptDimensions.map { source[base + $0] }
                merged = listIndex[key, default: fresh]
                if merged == fresh { listIndex[key] = fresh }
            }
            if merged == fresh {
                for dimension in 0..<width { codes.append(kept & (1 << UInt64(dimension)) != 0 ? source[base + dimension] : 0) }
                moments.append(.zero)
            }
            cellOf[cell] = merged
            let own = finest.moments[cell]
            moments[Int(merged)].rows += own.rows
            moments[Int(merged)].x += own.x
            moments[Int(merged)].y += own.y
            moments[Int(merged)].rowXX += own.rowXX
            moments[Int(merged)].rowYY += own.rowYY
            moments[Int(merged)].rowXY += own.rowXY
        }
        var covered = [Bool](repeating: false, count: finest.moments.count)
        if !parts.listsEveryAccount {
            // The listed accounts' squares per finest cell are in the cells' own moments, beside
            // those of the accounts not listed: they are taken out again below, for the squares
            // of their merged sums.
            for cell in 0..<finest.moments.count {
                let own = finest.moments[cell], target = Int(cellOf[cell])
                moments[target].clusters += own.clusters
                moments[target].xx += own.xx
                moments[target].yy += own.yy
                moments[target].xy += own.xy
            }
        }
        var merged: [(cell: Int32, x: Double, y: Double)] = []
        for cluster in 0..<parts.clusterCount {
            if cluster % CuboidLattice.blockSize == 0 { try cancellation.check() }
            merged.removeAll(keepingCapacity: true)
            for part in Int(parts.starts[cluster])..<Int(parts.starts[cluster + 1]) {
                let source = Int(parts.cells[part])
                covered[source] = true
                let cell = cellOf[source]
                if !parts.listsEveryAccount {
                    let (x, y) = (parts.xs[part], parts.ys[part])
                    moments[Int(cell)].clusters -= 1
                    moments[Int(cell)].xx -= x * x
                    moments[Int(cell)].yy -= y * y
                    moments[Int(cell)].xy -= x * y
                }
                if let slot = merged.firstIndex(where: { $0.cell == cell }) {
                    merged[slot].x += parts.xs[part]
                    merged[slot].y += parts.ys[part]
                } else {
                    merged.append((cell, parts.xs[part], parts.ys[part]))
                }
            }
            for (cell, x, y) in merged {
                moments[Int(cell)].clusters += 1
                moments[Int(cell)].xx += x * x
                moments[Int(cell)].yy += y * y
                moments[Int(cell)].xy += x * y
            }
        }
        for cell in 0..<finest.moments.count where parts.listsEveryAccount && !covered[cell] {
            let own = finest.moments[cell]
            let target = Int(cellOf[cell])
            moments[target].clusters += own.clusters
            moments[target].xx += own.xx
            moments[target].yy += own.yy
            moments[target].xy += own.xy
        }
        self.codes = codes
        self.moments = moments
        total = moments.reduce(into: Moments.zero) { $0 += $1 }
    }

    /// The dimensions (a mask) whose code differs between two cells of one account.
    static func varyingDimensions(of finest: FinestCells, parts: MomentTable.ClusterParts) -> UInt64 {
        var varying: UInt64 = 0
        let width = finest.dimensionCount
        for cluster in 0..<parts.clusterCount {
            let first = Int(parts.starts[cluster]), end = Int(parts.starts[cluster + 1])
            guard end - first > 1 else { continue }
            let base = Int(parts.cells[first]) * width
            for part in (first + 1)..<end {
                let other = Int(parts.cells[part]) * width
                for dimension in 0..<width where finest.codes[base + dimension] != finest.codes[other + dimension] {
                    varying |= 1 << UInt64(dimension)
                }
            }
        }
        return varying
    }

    /// The code of `dimension`'s hierarchy parent level for each of its codes: the parent member
    /// that holds most of the code's rows. A blank parent (an export's missing region) loses to
    /// any real one, so a country is judged against its region, not against `region IS NULL`.
    func rollUpCodes(of dimension: Int, in dimensions: [HotspotDimension]) -> [UInt32]? {
        guard let parentLevel = dimensions[dimension].hierarchyParent else { return nil }
        let childCount = dimensions[dimension].cardinality, parentCount = dimensions[parentLevel].cardinality
        let parentIsNull = dimensions[parentLevel].labels.map { $0 == nil }
        // A dense table for the usual small levels; pairs that occur, for wide ones.
        let dense = childCount * parentCount <= 1 << 16
        // -1: a pair never seen (a pair may be seen with no rows).
        var denseRows = [Double](repeating: -1, count: dense ? childCount * parentCount : 0)
        var sparseRows: [Int: Double] = [:]
        for cell in 0..<moments.count {
            let child = Int(codes[cell * dimensionCount + dimension]), parent = Int(codes[cell * dimensionCount + parentLevel])
            let pair = child * parentCount + parent
            if dense { denseRows[pair] = max(0, denseRows[pair]) + moments[cell].rows }
            else { sparseRows[pair, default: 0] += moments[cell].rows }
        }
        let pairs = dense ? denseRows.enumerated().filter { $0.element >= 0 }.map { ($0.offset, $0.element) }
                          : sparseRows.map { ($0.key, $0.value) }
        var best = [(code: UInt32, isNull: Bool, rows: Double)?](repeating: nil, count: childCount)
        // Ties go to the lower parent code, whatever order the pairs come in.
        for (pair, rows) in pairs {
            let child = pair / parentCount, parent = pair % parentCount
            let candidate = (code: UInt32(parent), isNull: parentIsNull[parent], rows: rows)
            guard let current = best[child] else { best[child] = candidate; continue }
            let better = current.isNull != candidate.isNull ? current.isNull
                : (candidate.rows != current.rows ? candidate.rows > current.rows : candidate.code < current.code)
            if better { best[child] = candidate }
        }
        return best.map { $0?.code ?? UInt32.max }
    }

    /// Adds the cells into several cuboids of depth 1 to 3 (`targets[k]`, laid out as `batch[k]`)
    /// in one pass: a cell's codes and moments are read once for all of them. A cuboid's cells
    /// are added in the same order as one at a time, so its sums are the same.
    func aggregate(cells: Range<Int>, into targets: [UnsafeMutablePointer<Moments>], as batch: [Cuboid]) {
        precondition(batch.count == targets.count && batch.allSatisfy { (1...3).contains($0.depth) })
        // Each cuboid's index as Σ code·stride over three terms; a shallower cuboid's missing
        // terms have stride 0.
        var terms = [Int](repeating: 0, count: batch.count * 6)
        for (k, cuboid) in batch.enumerated() {
            for position in 0..<cuboid.depth {
                terms[k * 6 + 2 * position] = cuboid.dimensions[position]
                terms[k * 6 + 2 * position + 1] = cuboid.strides[position]
            }
        }
        let width = dimensionCount, count = batch.count
        codes.withUnsafeBufferPointer { codes in
            moments.withUnsafeBufferPointer { moments in
                terms.withUnsafeBufferPointer { terms in
                    targets.withUnsafeBufferPointer { targets in
                        for cell in cells {
                            let base = cell &* width
                            let value = moments[cell]
                            for k in 0..<count {
                                let t = k &* 6
                                let index = Int(codes[base &+ terms[t]]) &* terms[t &+ 1]
                                    &+ Int(codes[base &+ terms[t &+ 2]]) &* terms[t &+ 3]
                                    &+ Int(codes[base &+ terms[t &+ 4]]) &* terms[t &+ 5]
                                targets[k][index] += value
                            }
                        }
                    }
                }
            }
        }
    }

    func aggregate(cells: Range<Int>, into cuboid: inout Cuboid) {
        let positions = cuboid.dimensions
        let strides = cuboid.strides
        let width = dimensionCount
        codes.withUnsafeBufferPointer { codes in
            moments.withUnsafeBufferPointer { moments in
                cuboid.moments.withUnsafeMutableBufferPointer { target in
                    switch positions.count {
                    case 1:
                        let (d0) = (positions[0])
                        for cell in cells {
                            target[Int(codes[cell * width + d0])] += moments[cell]
                        }
                    case 2:
                        let (d0, d1, s0) = (positions[0], positions[1], strides[0])
                        for cell in cells {
                            let base = cell * width
                            target[Int(codes[base + d0]) * s0 + Int(codes[base + d1])] += moments[cell]
                        }
                    case 3:
                        let (d0, d1, d2, s0, s1) = (positions[0], positions[1], positions[2], strides[0], strides[1])
                        for cell in cells {
                            let base = cell * width
                            let index = Int(codes[base + d0]) * s0 + Int(codes[base + d1]) * s1 + Int(codes[base + d2])
                            target[index] += moments[cell]
                        }
                    default:
                        for cell in cells {
                            let base = cell * width
                            var index = 0
                            for (position, dimension) in positions.enumerated() {
                                index += Int(codes[base + dimension]) * strides[position]
                            }
                            target[index] += moments[cell]
                        }
                    }
                }
            }
        }
    }
}
