import ChurnQuery

/// Expected numerators of every one-condition cell from a joint main-effects model over all the
/// searched dimensions, so that a member is judged against what the other dimensions predict.
///
/// The model is log-linear in the numerator with the denominator as exposure, log μ = log y +
/// α + Σ_d β_d[v_d], over the finest cells; iterative proportional fitting scales μ until its sums
/// over each one-way margin equal the observed Σx there. Each factor f_d[v] = exp(β_d[v]) is then
/// the member's effect adjusted for every other dimension.
///
/// A member d = v is judged against the fit without its own effect (and without the effects of its
/// hierarchy descendants, which would carry it): E(d = v) = Σ μ / Π f over its cells, rescaled so
/// that the expectations match the observed numerator of its parent member (campaign within its
/// channel, country within its region) or, at the top of a hierarchy, of the whole slice. A value
/// whose deviation a correlated dimension explains (plan follows segment) then expects what it
/// shows, and a campaign that churns like its channel expects its channel's churn.
struct MainEffectsFitter: Sendable {
    /// Largest margin mismatch accepted, relative to the margin's observed numerator (plus 10⁻⁹
    /// of the total, for margins near zero): far below any difference a test could see.
    var tolerance = 1e-4
    var maximumIterations = 100

    /// The fitted model: factors per member, and what each member is judged against.
    struct Fit: Sendable {
        /// `expected[d][code]`: the numerator member `code` of dimension d should have without its own effect.
        var expected: [[Double]]
        /// `factors[d][code]`: the member's multiplicative effect, adjusted for the other dimensions.
        var factors: [[Double]]
        /// Passes over all margins.
        var iterations: Int
        /// μ of each finest cell.
        var fitted: [Double]
        /// The finest cells' codes, one array per dimension.
        var columns: [[Int32]]
    }

    /// Nil when the model does not apply: a negative numerator or denominator, or an empty slice.
    func fit(_ finest: FinestCells, dimensions: [HotspotDimension], rollUpCodes: [[UInt32]?],
             cancellation: Cancellation = .never) throws -> Fit? {
        try fit(numerators: [finest.moments.map(\.x)], over: finest, dimensions: dimensions, rollUpCodes: rollUpCodes,
                cancellation: cancellation)[0]
    }

    /// One fit per numerator (a numerator's flows) over the same finest cells and their
    /// denominators, all in one sweep of the cells per margin: the codes are read once for every
    /// numerator. A numerator stops being scaled once its margins match, so each fit is the one
    /// it would be on its own. Nil for a numerator the model does not apply to. `columns`: the
    /// cells' codes column-major, as an earlier fit over the same cells returned them.
    func fit(numerators: [[Double]], over finest: FinestCells, dimensions: [HotspotDimension], rollUpCodes: [[UInt32]?],
             columns known: [[Int32]]? = nil, cancellation: Cancellation = .never) throws -> [Fit?] {
        let width = finest.dimensionCount
        let cellCount = finest.moments.count
        let totalY = finest.total.y
        var results = [Fit?](repeating: nil, count: numerators.count)
        guard width == dimensions.count, width > 0, totalY > 0, finest.moments.allSatisfy({ $0.y >= 0 }) else { return results }
        let totals = numerators.map { $0.reduce(0, +) }
        let fittedNumerators = numerators.indices.filter { numerator in
            numerators[numerator].count == cellCount && totals[numerator] > 0 && numerators[numerator].allSatisfy { $0 >= 0 }
        }
        guard !fittedNumerators.isEmpty else { return results }
        let lanes = fittedNumerators.count
        let cardinalities = dimensions.map(\.cardinality)

        // Column-major codes: each pass reads one dimension's codes in order.
        let columns: [[Int32]]
        if let known, known.count == width, known.allSatisfy({ $0.count == cellCount }) {
            columns = known
        } else {
            columns = finest.codes.withUnsafeBufferPointer { codes in
                (0..<width).map { dimension in
                    [Int32](unsafeUninitializedCapacity: cellCount) { column, initialized in
                        for cell in 0..<cellCount { column[cell] = Int32(codes[cell * width + dimension]) }
                        initialized = cellCount
                    }
                }
            }
        }
        // observed[lane][dimension][code]
        let observed = fittedNumerators.map { numerator in
            (0..<width).map { Self.memberSums(of: numerators[numerator], codes: columns[$0], cardinality: cardinalities[$0]) }
        }

        // μ of cell c for lane l at fitted[c · stride + l], and a margin's sums at sums[code · stride + l];
        // lanes past `lanes` only pad a cell to a vector's width (μ 0, scale 1).
        let stride = Self.laneStride(lanes)
        let rates = fittedNumerators.map { totals[$0] / totalY }
        var fitted = [Double](repeating: 0, count: cellCount * stride)
        finest.moments.withUnsafeBufferPointer { moments in
            for cell in 0..<cellCount {
                for lane in 0..<lanes { fitted[cell &* stride &+ lane] = moments[cell].y * rates[lane] }
            }
        }
        var factors = fittedNumerators.map { _ in cardinalities.map { [Double](repeating: 1, count: $0) } }
        // A level with a searched descendant needs no pass: matching the finer margin (campaign)
        // matches the coarser one (channel) too.
        let parents = Set(dimensions.compactMap(\.hierarchyParent))
        let fittedDimensions = (0..<width).filter { !parents.contains($0) }
        let floors = fittedNumerators.map { max(1e-9 * totals[$0], 1e-300) }
        var iterations = [Int](repeating: 0, count: lanes)
        var done = [Bool](repeating: false, count: lanes)
        var passes = 0
        // Sums of μ over the margin about to be scaled; each pass scales one margin and sums the
        // next in the same sweep over the cells.
        var sums = [Double](repeating: 0, count: cardinalities[fittedDimensions[0]] * stride)
        columns[fittedDimensions[0]].withUnsafeBufferPointer { codes in
            for cell in 0..<cellCount {
                for lane in 0..<lanes { sums[Int(codes[cell]) * stride + lane] += fitted[cell * stride + lane] }
            }
        }
        while done.contains(false) && passes < maximumIterations {
            try cancellation.check()
            passes += 1
            var matched = done
            for lane in 0..<lanes where !done[lane] {
                iterations[lane] += 1
                matched[lane] = true
            }
            for (step, dimension) in fittedDimensions.enumerated() {
                // A lane that has converged keeps scale 1: its μ stays as it was.
                var scale = [Double](repeating: 1, count: cardinalities[dimension] * stride)
                for code in 0..<cardinalities[dimension] {
                    for lane in 0..<lanes where !done[lane] {
                        let target = observed[lane][dimension][code], sum = sums[code * stride + lane]
                        // A member without events keeps its factor: a zero would make its effect
                        // impossible to take out again, and it is never a hot-spot.
                        guard target > 0, sum > 0 else { continue }
                        if abs(sum - target) > tolerance * target + floors[lane] { matched[lane] = false }
                        scale[code * stride + lane] = target / sum
                        factors[lane][dimension][code] *= scale[code * stride + lane]
                    }
                }
                let next = fittedDimensions[(step + 1) % fittedDimensions.count]
                sums = Self.scale(&fitted, lanes: stride, by: scale, codes: columns[dimension], summingBy: columns[next],
                                  cardinality: cardinalities[next])
            }
            done = matched
        }

        for (lane, numerator) in fittedNumerators.enumerated() {
            try cancellation.check()
            let laneFitted = stride == 1 ? fitted : (0..<cellCount).map { fitted[$0 * stride + lane] }
            results[numerator] = try expectations(fitted: laneFitted, factors: factors[lane], observed: observed[lane],
                                                  total: totals[numerator], iterations: iterations[lane], columns: columns,
                                                  dimensions: dimensions, rollUpCodes: rollUpCodes, cancellation: cancellation)
        }
        return results
    }

    /// Σ of `values` per member (`codes[cell]`), in four partial sums taken in turn (see `scale`).
    static func memberSums(of values: [Double], codes: [Int32], cardinality: Int) -> [Double] {
        var partials = [Double](repeating: 0, count: 4 * cardinality)
        values.withUnsafeBufferPointer { values in
            codes.withUnsafeBufferPointer { codes in
                partials.withUnsafeMutableBufferPointer { partials in
                    let sums = partials.baseAddress!
                    for cell in 0..<min(values.count, codes.count) {
                        sums[(cell & 3) &* cardinality &+ Int(codes[cell])] += values[cell]
                    }
                }
            }
        }
        return (0..<cardinality).map { partials[$0] + partials[cardinality + $0] + partials[2 * cardinality + $0] + partials[3 * cardinality + $0] }
    }

    /// Values stored per cell for `lanes` numerators: two and four are one vector each, three
    /// is padded to four.
    private static func laneStride(_ lanes: Int) -> Int { lanes == 3 ? 4 : lanes }

    /// Multiplies each cell's μ of every lane by its member's scale (`scale[code · lanes + lane]`)
    /// and returns the new μ's sums over the members of the next margin, in one sweep. Partial
    /// sums taken in turn: neighbouring cells often share a member, and one sum would make each
    /// addition wait for the one before.
    private static func scale(_ fitted: inout [Double], lanes: Int, by scale: [Double], codes: [Int32], summingBy nextCodes: [Int32],
                              cardinality: Int) -> [Double] {
        let cellCount = codes.count
        let partials = lanes <= 4 ? 4 : 2
        let size = cardinality * lanes
        var partialSums = [Double](repeating: 0, count: partials * size)
        codes.withUnsafeBufferPointer { codes in
            nextCodes.withUnsafeBufferPointer { nextCodes in
                scale.withUnsafeBufferPointer { scale in
                    partialSums.withUnsafeMutableBufferPointer { partialSums in
                        fitted.withUnsafeMutableBufferPointer { fitted in
                            let sums = partialSums.baseAddress!
                            switch lanes {
                            case 1:
                                sweep(Double.self, fitted: fitted.baseAddress!, scale: scale.baseAddress!, codes: codes.baseAddress!,
                                      nextCodes: nextCodes.baseAddress!, sums: sums, size: size, cellCount: cellCount)
                            case 2:
                                sweep(SIMD2<Double>.self, fitted: fitted.baseAddress!, scale: scale.baseAddress!, codes: codes.baseAddress!,
                                      nextCodes: nextCodes.baseAddress!, sums: sums, size: size, cellCount: cellCount)
                            case 4:
                                sweep(SIMD4<Double>.self, fitted: fitted.baseAddress!, scale: scale.baseAddress!, codes: codes.baseAddress!,
                                      nextCodes: nextCodes.baseAddress!, sums: sums, size: size, cellCount: cellCount)
                            default:
                                for cell in 0..<cellCount {
                                    let member = Int(codes[cell]) &* lanes, nextMember = Int(nextCodes[cell]) &* lanes
                                    let base = cell &* lanes
                                    let target = sums + (cell & (partials - 1)) &* size
                                    for lane in 0..<lanes {
                                        let value = fitted[base &+ lane] * scale[member &+ lane]
                                        fitted[base &+ lane] = value
                                        target[nextMember &+ lane] += value
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<size).map { slot in
            var sum = 0.0
            for partial in 0..<partials { sum += partialSums[partial * size + slot] }
            return sum
        }
    }

    /// `scale`'s sweep with a cell's lanes as one value of `Lanes` (a Double, or a vector of
    /// them), four cells at a time into four partial sums (`sums + k · size`).
    @inline(__always)
    private static func sweep<Lanes: LaneValue>(_: Lanes.Type, fitted: UnsafeMutablePointer<Double>, scale: UnsafePointer<Double>,
                                                codes: UnsafePointer<Int32>, nextCodes: UnsafePointer<Int32>,
                                                sums: UnsafeMutablePointer<Double>, size: Int, cellCount: Int) {
        let width = Lanes.laneCount
        let (s0, s1, s2, s3) = (sums, sums + size, sums + 2 * size, sums + 3 * size)
        @inline(__always) func step(_ cell: Int, _ target: UnsafeMutablePointer<Double>) {
            let value = Lanes.load(fitted + cell &* width) * Lanes.load(scale + Int(codes[cell]) &* width)
            value.store(to: fitted + cell &* width)
            let sum = target + Int(nextCodes[cell]) &* width
            (Lanes.load(sum) + value).store(to: sum)
        }
        var cell = 0
        while cell &+ 4 <= cellCount {
            step(cell, s0)
            step(cell &+ 1, s1)
            step(cell &+ 2, s2)
            step(cell &+ 3, s3)
            cell &+= 4
        }
        while cell < cellCount {
            step(cell, sums + (cell & 3) &* size)
            cell &+= 1
        }
    }

    /// What each member is judged against, from a finished fit of one numerator.
    private func expectations(fitted: [Double], factors: [[Double]], observed: [[Double]], total: Double, iterations: Int,
                              columns: [[Int32]], dimensions: [HotspotDimension], rollUpCodes: [[UInt32]?],
                              cancellation: Cancellation) throws -> Fit {
        let width = dimensions.count
        let cellCount = fitted.count
        let cardinalities = dimensions.map(\.cardinality)
        // Without its family's effects, a member's cells expect Σμ / f over its leaf members:
        // only the leaf level of a hierarchy has factors (the levels above it get no pass).
        let leaves = Self.leaves(dimensions)
        var leafSums = cardinalities.map { [Double](repeating: 0, count: $0) }
        for dimension in Set(leaves.compactMap { $0 }) {
            leafSums[dimension] = Self.memberSums(of: fitted, codes: columns[dimension], cardinality: cardinalities[dimension])
        }
        let families = Self.families(dimensions)
        var expected = cardinalities.map { [Double](repeating: 0, count: $0) }
        for dimension in 0..<width {
            try cancellation.check()
            let parent = dimensions[dimension].hierarchyParent
            var withoutEffect = [Double](repeating: 0, count: cardinalities[dimension])
            var scope = [Double](repeating: 0, count: parent.map { cardinalities[$0] } ?? 1)
            if let leaf = leaves[dimension] {
                for code in 0..<cardinalities[leaf] where leafSums[leaf][code] > 0 {
                    let value = leafSums[leaf][code] / factors[leaf][code]
                    guard let member = Self.ancestorCode(of: code, from: leaf, to: dimension, dimensions: dimensions,
                                                         rollUpCodes: rollUpCodes) else { continue }
                    withoutEffect[member] += value
                    if let parent {
                        guard let scopeCode = Self.ancestorCode(of: code, from: leaf, to: parent, dimensions: dimensions,
                                                                rollUpCodes: rollUpCodes) else { continue }
                        scope[scopeCode] += value
                    } else {
                        scope[0] += value
                    }
                }
            } else {
                // A level with more than one searched child level: take every family factor out per cell.
                let family = families[dimension]
                for cell in 0..<cellCount {
                    var value = fitted[cell]
                    for member in family { value /= factors[member][Int(columns[member][cell])] }
                    withoutEffect[Int(columns[dimension][cell])] += value
                    scope[parent.map { Int(columns[$0][cell]) } ?? 0] += value
                }
            }
            for code in 0..<cardinalities[dimension] {
                let scopeCode: Int
                if parent != nil {
                    let rolledUp = rollUpCodes[dimension]?[code] ?? UInt32.max
                    guard rolledUp != UInt32.max else { continue }
                    scopeCode = Int(rolledUp)
                } else {
                    scopeCode = 0
                }
                let scopeObserved = parent.map { observed[$0][scopeCode] } ?? total
                guard scope[scopeCode] > 0 else { continue }
                expected[dimension][code] = withoutEffect[code] * scopeObserved / scope[scopeCode]
            }
        }
        return Fit(expected: expected, factors: factors, iterations: iterations, fitted: fitted, columns: columns)
    }

    /// For each dimension, the one level of its hierarchy below or at it that has no searched
    /// child level (campaign for channel and for campaign); nil where the hierarchy branches.
    static func leaves(_ dimensions: [HotspotDimension]) -> [Int?] {
        let families = Self.families(dimensions)
        return families.map { family in
            let bottom = family.filter { member in !dimensions.contains { $0.hierarchyParent == member } }
            guard bottom.count == 1, family.allSatisfy({ member in dimensions.filter { $0.hierarchyParent == member }.count <= 1 })
            else { return nil }
            return bottom[0]
        }
    }

    /// The code, at `ancestor`'s level, of code `code` at level `level` (itself when they are one level).
    static func ancestorCode(of code: Int, from level: Int, to ancestor: Int, dimensions: [HotspotDimension],
                             rollUpCodes: [[UInt32]?]) -> Int? {
        var current = level
        var value = code
        var steps = 0
        while current != ancestor {
            guard let parent = dimensions[current].hierarchyParent, let codes = rollUpCodes[current], value < codes.count,
                  codes[value] != UInt32.max, steps <= dimensions.count else { return nil }
            value = Int(codes[value])
            current = parent
            steps += 1
        }
        return value
    }

    /// For each dimension, itself and its hierarchy descendants among the searched dimensions.
    static func families(_ dimensions: [HotspotDimension]) -> [[Int]] {
        dimensions.indices.map { dimension in
            dimensions.indices.filter { candidate in
                var next: Int? = candidate
                var steps = 0
                while let level = next, steps <= dimensions.count {
                    if level == dimension { return true }
                    next = dimensions[level].hierarchyParent
                    steps += 1
                }
                return false
            }
        }
    }

    /// The hierarchy root of each dimension.
    static func roots(_ dimensions: [HotspotDimension]) -> [Int] {
        dimensions.indices.map { dimension in
            var level = dimension
            var steps = 0
            while let parent = dimensions[level].hierarchyParent, steps <= dimensions.count {
                level = parent
                steps += 1
            }
            return level
        }
    }

    // MARK: - What explains a member

    /// The other dimensions (named by the top of their hierarchy) that move the expectation of
    /// `dimension = code` by at least `threshold` (relative), largest first, at most `limit`:
    /// how far the member's share of its scope moves when each other hierarchy's effects are
    /// taken out too. Uses two-way sums of μ by the member's leaf level and each other
    /// hierarchy's leaf level, one pass over the finest cells. Empty where a hierarchy branches.
    func explainingDimensions(of condition: HotspotCondition, fit: Fit, finest: FinestCells, dimensions: [HotspotDimension],
                              rollUpCodes: [[UInt32]?], threshold: Double = 0.005, limit: Int = 3) -> [Int] {
        let dimension = condition.dimension
        let roots = Self.roots(dimensions)
        let leaves = Self.leaves(dimensions)
        guard let leaf = leaves[dimension] else { return [] }
        let others = Array(Set(roots.indices.filter { roots[$0] != roots[dimension] }.map { roots[$0] })).sorted()
        let otherLeaves = others.compactMap { leaves[$0] }
        guard !others.isEmpty, otherLeaves.count == others.count else { return [] }
        let cardinalities = dimensions.map(\.cardinality)
        let leafCount = cardinalities[leaf]
        // pairs[slot][l · r + m]: Σμ over the cells with leaf = l and the other leaf = m.
        var pairs = otherLeaves.map { [Double](repeating: 0, count: leafCount * cardinalities[$0]) }
        fit.columns[leaf].withUnsafeBufferPointer { leafCodes in
            fit.fitted.withUnsafeBufferPointer { fitted in
                for (slot, other) in otherLeaves.enumerated() {
                    let radix = cardinalities[other]
                    fit.columns[other].withUnsafeBufferPointer { otherCodes in
                        pairs[slot].withUnsafeMutableBufferPointer { sums in
                            for cell in 0..<fitted.count {
                                sums[Int(leafCodes[cell]) * radix + Int(otherCodes[cell])] += fitted[cell]
                            }
                        }
                    }
                }
            }
        }
        let parent = dimensions[dimension].hierarchyParent
        let scopeCode = parent.flatMap { Self.ancestorCode(of: Int(condition.code), from: dimension, to: $0, dimensions: dimensions,
                                                            rollUpCodes: rollUpCodes) }
        if parent != nil && scopeCode == nil { return [] }
        var inCell = [Bool](repeating: false, count: leafCount)
        var inScope = [Bool](repeating: false, count: leafCount)
        for code in 0..<leafCount {
            inCell[code] = Self.ancestorCode(of: code, from: leaf, to: dimension, dimensions: dimensions, rollUpCodes: rollUpCodes)
                == Int(condition.code)
            inScope[code] = parent.map {
                Self.ancestorCode(of: code, from: leaf, to: $0, dimensions: dimensions, rollUpCodes: rollUpCodes) == scopeCode
            } ?? true
        }
        var full: Double?
        var shifts: [(Int, Double)] = []
        for (slot, other) in otherLeaves.enumerated() {
            let radix = cardinalities[other]
            var cell = 0.0, scope = 0.0, cellWithout = 0.0, scopeWithout = 0.0
            for code in 0..<leafCount where inScope[code] {
                let ownFactor = fit.factors[leaf][code]
                for otherCode in 0..<radix {
                    let value = pairs[slot][code * radix + otherCode] / ownFactor
                    guard value > 0 else { continue }
                    let without = value / fit.factors[other][otherCode]
                    scope += value
                    scopeWithout += without
                    if inCell[code] {
                        cell += value
                        cellWithout += without
                    }
                }
            }
            guard scope > 0, scopeWithout > 0, cellWithout > 0 else { continue }
            let share = full ?? cell / scope
            full = share
            shifts.append((others[slot], abs(share / (cellWithout / scopeWithout) - 1)))
        }
        return shifts.filter { $0.1 >= threshold }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }
}

/// A cell's μ over its lanes, loaded and stored as one value.
private protocol LaneValue {
    static var laneCount: Int { get }
    static func load(_ pointer: UnsafePointer<Double>) -> Self
    func store(to pointer: UnsafeMutablePointer<Double>)
    static func * (left: Self, right: Self) -> Self
    static func + (left: Self, right: Self) -> Self
}

extension Double: LaneValue {
    static var laneCount: Int { 1 }
    @inline(__always) static func load(_ pointer: UnsafePointer<Double>) -> Double { pointer.pointee }
    @inline(__always) func store(to pointer: UnsafeMutablePointer<Double>) { pointer.pointee = self }
}

/// A vector of lanes, loaded and stored unaligned (a cell's lanes start at any multiple of 8 bytes).
extension LaneValue where Self: SIMD, Self.Scalar == Double {
    static var laneCount: Int { Self.scalarCount }
    @inline(__always) static func load(_ pointer: UnsafePointer<Double>) -> Self { UnsafeRawPointer(pointer).loadUnaligned(as: Self.self) }
    @inline(__always) func store(to pointer: UnsafeMutablePointer<Double>) { UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: Self.self) }
}

extension SIMD2: LaneValue where Scalar == Double {}
extension SIMD4: LaneValue where Scalar == Double {}
