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
    /// Largest margin mismatch accepted, relative to the total numerator.
    var tolerance = 1e-7
    var maximumIterations = 100

    /// The fitted model: factors per member, and what each member is judged against.
    struct Fit: Sendable {
        /// `expected[d][code]`: the numerator member `code` of dimension d should have without its own effect.
        var expected: [[Double]]
        /// `factors[d][code]`: the member's multiplicative effect, adjusted for the other dimensions.
        var factors: [[Double]]
        /// Passes over all margins.
        var iterations: Int
    }

    /// Nil when the model does not apply: a negative numerator or denominator, or an empty slice.
    func fit(_ finest: FinestCells, dimensions: [HotspotDimension], rollUpCodes: [[UInt32]?],
             cancellation: Cancellation = .never) throws -> Fit? {
        let width = finest.dimensionCount
        let cellCount = finest.moments.count
        let total = finest.total
        guard width == dimensions.count, width > 0, total.x > 0, total.y > 0,
              finest.moments.allSatisfy({ $0.x >= 0 && $0.y >= 0 }) else { return nil }
        let cardinalities = dimensions.map(\.cardinality)

        var observed = cardinalities.map { [Double](repeating: 0, count: $0) }
        finest.codes.withUnsafeBufferPointer { codes in
            for cell in 0..<cellCount {
                let x = finest.moments[cell].x
                for dimension in 0..<width { observed[dimension][Int(codes[cell * width + dimension])] += x }
            }
        }

        let globalRate = total.x / total.y
        var fitted = finest.moments.map { $0.y * globalRate }
        var factors = cardinalities.map { [Double](repeating: 1, count: $0) }
        let allowed = max(tolerance * total.x, 1e-300)
        var iterations = 0
        var converged = false
        while !converged && iterations < maximumIterations {
            try cancellation.check()
            iterations += 1
            converged = true
            for dimension in 0..<width {
                var sums = [Double](repeating: 0, count: cardinalities[dimension])
                finest.codes.withUnsafeBufferPointer { codes in
                    for cell in 0..<cellCount { sums[Int(codes[cell * width + dimension])] += fitted[cell] }
                }
                var scale = [Double](repeating: 1, count: cardinalities[dimension])
                for code in 0..<cardinalities[dimension] {
                    let target = observed[dimension][code]
                    // A member without events keeps its factor: a zero would make its effect
                    // impossible to take out again, and it is never a hot-spot.
                    guard target > 0, sums[code] > 0 else { continue }
                    if abs(sums[code] - target) > allowed { converged = false }
                    scale[code] = target / sums[code]
                    factors[dimension][code] *= scale[code]
                }
                finest.codes.withUnsafeBufferPointer { codes in
                    for cell in 0..<cellCount { fitted[cell] *= scale[Int(codes[cell * width + dimension])] }
                }
            }
        }

        let families = Self.families(dimensions)
        var expected = cardinalities.map { [Double](repeating: 0, count: $0) }
        for dimension in 0..<width {
            try cancellation.check()
            let family = families[dimension]
            let parent = dimensions[dimension].hierarchyParent
            var withoutEffect = [Double](repeating: 0, count: cardinalities[dimension])
            var scope = [Double](repeating: 0, count: parent.map { cardinalities[$0] } ?? 1)
            finest.codes.withUnsafeBufferPointer { codes in
                for cell in 0..<cellCount {
                    var value = fitted[cell]
                    for member in family { value /= factors[member][Int(codes[cell * width + member])] }
                    withoutEffect[Int(codes[cell * width + dimension])] += value
                    scope[parent.map { Int(codes[cell * width + $0]) } ?? 0] += value
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
                let scopeObserved = parent.map { observed[$0][scopeCode] } ?? total.x
                guard scope[scopeCode] > 0 else { continue }
                expected[dimension][code] = withoutEffect[code] * scopeObserved / scope[scopeCode]
            }
        }
        return Fit(expected: expected, factors: factors, iterations: iterations)
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
    /// `dimension = code` by at least `threshold` (relative), largest first, at most `limit`.
    func explainingDimensions(of condition: HotspotCondition, fit: Fit, finest: FinestCells, dimensions: [HotspotDimension],
                              rollUpCodes: [[UInt32]?], threshold: Double = 0.005, limit: Int = 3) -> [Int] {
        let width = finest.dimensionCount
        let dimension = condition.dimension
        let roots = Self.roots(dimensions)
        let family = Self.families(dimensions)[dimension]
        let parent = dimensions[dimension].hierarchyParent
        let others = Array(Set(roots.indices.filter { roots[$0] != roots[dimension] }.map { roots[$0] })).sorted()
        guard !others.isEmpty else { return [] }
        let othersFamilies = others.map { Self.families(dimensions)[$0] }
        let globalRate = finest.total.x / finest.total.y
        // Sums with each other family's effect taken out too, over the cell and over its scope.
        var cell = [Double](repeating: 0, count: others.count + 1)
        var scope = [Double](repeating: 0, count: others.count + 1)
        let scopeCode = parent == nil ? nil : rollUpCodes[dimension]?[Int(condition.code)]
        let kept = (0..<width).map { !family.contains($0) }
        finest.codes.withUnsafeBufferPointer { codes in
            for index in 0..<finest.moments.count {
                let base = index * width
                if let parent, codes[base + parent] != scopeCode { continue }
                var value = finest.moments[index].y * globalRate
                for level in 0..<width where kept[level] { value *= fit.factors[level][Int(codes[base + level])] }
                let inCell = codes[base + dimension] == condition.code
                scope[others.count] += value
                if inCell { cell[others.count] += value }
                for (slot, members) in othersFamilies.enumerated() {
                    var without = value
                    for member in members { without /= fit.factors[member][Int(codes[base + member])] }
                    scope[slot] += without
                    if inCell { cell[slot] += without }
                }
            }
        }
        let full = cell[others.count] / max(scope[others.count], 1e-300)
        guard full > 0 else { return [] }
        let shifts = others.indices.map { slot -> (Int, Double) in
            let without = cell[slot] / max(scope[slot], 1e-300)
            return (others[slot], without > 0 ? abs(full / without - 1) : 0)
        }
        return shifts.filter { $0.1 >= threshold }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }
}
