import ChurnQuery
import ChurnStorage

/// The statistical core of HOTSPOTS: derives every cuboid from the finest cells, computes each
/// cell's baseline, tests it, controls false discoveries, prunes cells their parents explain,
/// and ranks what is left.
///
/// Stages, each counted in `HotspotSearchStatistics`:
/// 1. Aggregation: all sets of 1…depth dimensions, never a dimension with its hierarchy ancestor.
/// 2. Baselines: global (Σx/Σy of the slice), parent (the parent closest to the cell in |z|,
///    hierarchy roll-ups included), or expected, whose expectation is treated as fixed in the
///    test: its own sampling error is ignored, which overstates the variance of the difference
///    and errs on the conservative side. Expected at depth 1 is what a joint main-effects fit of
///    every other searched dimension predicts (`MainEffectsFitter`), a hierarchy level's member
///    within its parent member (campaign within its channel); at depth k it is the log-linear fit
///    to the cell's (k−1)-margins and, for a hierarchy level, to the cuboid with that level
///    rolled up (campaign × region to channel × region).
/// 3. Testing: every occupied cell with Σy ≥ minimum support, two-sided p-values from Student's t
///    with the cell's effective number of accounts less one as its degrees of freedom
///    (`DeviationTest.pValue`): its variance is estimated from those accounts, so a cell of a
///    few large accounts is not read as if its variance were known exactly.
///    Against global and parent baselines the cell is compared with the rest of the baseline
///    population, since it is part of it.
///    Under expected baselines the cells of each cuboid of depth ≥ 2, judged against one fit,
///    have their z's divided by the width of the cuboid's empirical null (`EmpiricalNull`), so
///    departures every cell shows from the model are not each a finding.
/// 4. Benjamini–Hochberg over every cell tested, all depths and cuboids at once.
/// 5. Redundancy: a significant cell of depth ≥ 2 must also differ from the rest of each of its
///    parents. These tests form a second Benjamini–Hochberg family, over the discoveries of
///    stage 4 only (in the manner of hierarchical FDR testing), at the same level.
/// 6. Folding (expected baselines): of two qualified relatives, one more general than the other
///    (conditions dropped or rolled up a hierarchy), the general one is folded under the
///    specific one when the rest of it does not depart from its baseline (its deviation is the
///    specific cell's), and the specific one under the general one when it does not differ from
///    the rest of it (when both hold, the better ranked is the cause). The cause is reported, its relatives listed as `also`.
/// 7. Ranking by |impact| (then support), |lift| or support; LIMIT.
///
/// The searched dimensions (the BY list) are the input's dimensions: the engine hands over only those.
///
/// Every stage checks `cancellation` between blocks of work and stops with `QueryError.cancelled`.
package struct HotspotSearch: Sendable {
    package let input: HotspotInput
    package let options: HotspotOptions
    package let cancellation: Cancellation

    /// Cells tested, or judged against their parents, between two checks for cancellation.
    static let checkInterval = 4096

    package init(input: HotspotInput, options: HotspotOptions = HotspotOptions(), cancellation: Cancellation = .never) {
        self.input = input
        self.options = options
        self.cancellation = cancellation
    }

    /// One tested cell: where it lives and how it compares with its baseline.
    private struct TestedCell {
        var cuboid: Int
        var index: Int
        var value: Double
        var baseline: Double
        /// Position of the condition dropped (or rolled up) to reach the parent baseline; nil for the whole slice.
        var parentPosition: Int?
        /// For a parent one hierarchy level up, the condition that replaces the one at `parentPosition`.
        var rolledUpCondition: HotspotCondition?
        var z: Double
        var pValue: Double
        var qValue = 1.0
        /// Qualified cells folded under this one, by their position in the qualified list.
        var relatives: [Int] = []
    }

    /// Throws `HotspotError` for input or options it cannot search, `QueryError.cancelled` when cancelled.
    package func run() throws -> HotspotResult {
        try validateOptions()
        let clock = ContinuousClock()
        var statistics = HotspotSearchStatistics()

        // MARK: - Aggregate
        var start = clock.now
        let lattice = try CuboidLattice(input: input, depth: options.depth, cancellation: cancellation)
        statistics.cuboids = lattice.count
        statistics.timings.variance = lattice.mergingTime
        statistics.timings.aggregation = clock.now - start - lattice.mergingTime
        statistics.varyingDimensions = input.dimensions.indices.filter { lattice.varyingDimensions & (1 << UInt64($0)) != 0 }
            .map { input.dimensions[$0].name }
        statistics.mergedFinestGroupings = lattice.mergedFinestCount
        statistics.mergedFinestCells = lattice.mergedFinestCells
        let whole = lattice.whole
        guard let globalRate = whole.ratio else {
            return HotspotResult(findings: [], globalValue: nil, total: whole, statistics: statistics)
        }
        let test = DeviationTest(kind: input.measure.kind, pooledSpread: input.rowSpread ?? DeviationTest.pooledSpread(of: whole))

        // MARK: - Main effects
        start = clock.now
        var mainEffects: MainEffectsFitter.Fit?
        // A numerator of flows is fitted flow by flow (`HotspotFlows`); the flows share one lattice.
        var flowFit: (flows: HotspotFlows, lattice: FlowLattice)?
        var mainExpected: [[Double]]?
        if options.baseline == .expected {
            if let flows = input.flows,
               let flowLattice = try FlowLattice(input: input, flows: flows, finest: lattice.finest, depth: options.depth,
                                                 cancellation: cancellation) {
                let fits = try numeratorAndFlowMainEffects(flowLattice: flowLattice, numerator: lattice.finest.moments.map(\.x))
                mainEffects = fits.numerator
                statistics.mainEffectsPasses = mainEffects?.iterations ?? 0
                // The flows' passes are added as their fits are combined.
                if let combined = combinedMainEffects(flows, fits: fits.flows, lattice: lattice, statistics: &statistics) {
                    flowFit = (flows, flowLattice)
                    mainExpected = combined
                    statistics.fittedFlows = flows.names
                }
            } else {
                mainEffects = try MainEffectsFitter().fit(lattice.finest, dimensions: input.dimensions, rollUpCodes: lattice.rollUpCodes,
                                                           cancellation: cancellation)
                statistics.mainEffectsPasses = mainEffects?.iterations ?? 0
            }
            mainExpected = mainExpected ?? mainEffects?.expected
        }
        statistics.timings.mainEffects = clock.now - start

        // MARK: - Baselines
        start = clock.now
        var expected: [[Double]] = []
        if options.baseline == .expected {
            let fitter = ExpectedRateFitter()
            expected = try lattice.cuboids.indices.map { cuboidIndex in
                let cuboid = lattice.cuboids[cuboidIndex]
                guard cuboid.depth > 1 else { return [] }
                guard let flowFit else {
                    let margins = (0..<cuboid.depth).compactMap { lattice.parent(of: cuboid, droppingPosition: $0) }
                    let fit = try fitter.fit(cuboid, margins: margins.map { lattice.cuboids[$0] }, globalRate: globalRate,
                                             cancellation: cancellation)
                    statistics.fittingPasses += fit.iterations
                    return fit.expected
                }
                let fit = try fitter.fit(cuboidAt: cuboidIndex, of: lattice, flows: flowFit.flows, flowLattice: flowFit.lattice,
                                         cancellation: cancellation)
                statistics.fittingPasses += fit.iterations
                return fit.expected
            }
        }
        statistics.timings.baselines = clock.now - start

        // MARK: - Test
        start = clock.now
        var tested: [TestedCell] = []
        let projectionPlans = options.baseline == .expected ? lattice.cuboids.map { lattice.projectionPlan(of: $0) } : []
        var projected: [Moments] = []
        for (cuboidIndex, cuboid) in lattice.cuboids.enumerated() {
            projected = [Moments](repeating: .zero, count: 1 << cuboid.depth)
            for (index, moments) in cuboid.moments.enumerated() where moments.rows > 0 {
                if statistics.cellsEnumerated % Self.checkInterval == 0 { try cancellation.check() }
                statistics.cellsEnumerated += 1
                guard moments.y > 0, moments.y >= options.minimumSupport else {
                    statistics.prunedBySupport += 1
                    continue
                }
                let value = moments.x / moments.y
                var cell = TestedCell(
                    cuboid: cuboidIndex, index: index, value: value, baseline: globalRate, parentPosition: nil,
                    z: 0, pValue: 1)
                switch options.baseline {
                case .global:
                    cell.z = test.zAgainstRest(cell: moments, population: whole)
                case .expected:
                    if cuboid.depth > 1 {
                        cell.baseline = expected[cuboidIndex][index] / moments.y
                        lattice.project(index, in: cuboid, plan: projectionPlans[cuboidIndex], into: &projected)
                        cell.z = test.zAgainstFit(cell: moments, expected: expected[cuboidIndex][index], projections: projected)
                    } else if let mainExpected, case let count = mainExpected[cuboid.dimensions[0]][index], count > 0 {
                        // Judged within its scope (the parent member, or the whole slice), of which
                        // the expectation takes a share.
                        cell.baseline = count / moments.y
                        cell.z = test.zAgainstShare(cell: moments, expected: count,
                                                    scope: scope(of: cuboid.dimensions[0], code: UInt32(index), in: lattice))
                    } else {
                        cell.z = test.zAgainstRest(cell: moments, population: whole)
                    }
                case .parent:
                    cell.z = test.zAgainstRest(cell: moments, population: whole)
                    var closest = cuboid.depth == 1 ? abs(cell.z) : Double.infinity
                    func consider(_ parentMoments: Moments, position: Int, rolledUp: HotspotCondition?) {
                        let z = test.zAgainstRest(cell: moments, population: parentMoments)
                        guard abs(z) < closest, let rate = parentMoments.ratio else { return }
                        closest = abs(z)
                        cell.z = z
                        cell.baseline = rate
                        cell.parentPosition = position
                        cell.rolledUpCondition = rolledUp
                    }
                    for position in 0..<cuboid.depth {
                        if let parent = lattice.parent(of: cuboid, droppingPosition: position) {
                            let parentIndex = cuboid.parentIndex(of: index, droppingPosition: position)
                            consider(lattice.cuboids[parent].moments[parentIndex], position: position, rolledUp: nil)
                        }
                        if let rolledUp = lattice.rolledUpParent(of: cuboid, index: index, position: position) {
                            consider(lattice.cuboids[rolledUp.cuboid].moments[rolledUp.index], position: position,
                                     rolledUp: rolledUp.condition)
                        }
                    }
                }
                cell.pValue = DeviationTest.pValue(cell.z, cell: moments)
                tested.append(cell)
            }
        }
        statistics.tested = tested.count
        statistics.timings.testing = clock.now - start

        // MARK: - Empirical null
        start = clock.now
        if options.baseline == .expected { try widenToEmpiricalNull(&tested, lattice: lattice, statistics: &statistics) }
        statistics.timings.empiricalNull = clock.now - start

        // MARK: - Control false discoveries
        try cancellation.check()
        start = clock.now
        let qValues = BenjaminiHochberg.qValues(tested.map(\.pValue))
        for index in tested.indices { tested[index].qValue = qValues[index] }
        let discoveries = tested.filter { $0.qValue <= options.falseDiscoveryRate && isWanted($0) }
        statistics.significant = discoveries.count
        statistics.timings.falseDiscoveryControl = clock.now - start

        // MARK: - Prune redundancy
        start = clock.now
        var parentPValues: [Double] = []
        var parentTestRanges: [Range<Int>] = []
        for (position, cell) in discoveries.enumerated() {
            if position % Self.checkInterval == 0 { try cancellation.check() }
            let cuboid = lattice.cuboids[cell.cuboid]
            let first = parentPValues.count
            let moments = cuboid.moments[cell.index]
            for position in 0..<cuboid.depth {
                guard let parent = lattice.parent(of: cuboid, droppingPosition: position) else { break }
                let parentMoments = lattice.cuboids[parent].moments[
                    cuboid.parentIndex(of: cell.index, droppingPosition: position)]
                let z = test.zAgainstRest(cell: moments, population: parentMoments)
                parentPValues.append(DeviationTest.pValue(z, cell: moments))
            }
            parentTestRanges.append(first..<parentPValues.count)
        }
        let parentQValues = BenjaminiHochberg.qValues(parentPValues)
        var qualified: [TestedCell] = []
        for (cell, range) in zip(discoveries, parentTestRanges) {
            if parentQValues[range].allSatisfy({ $0 <= options.falseDiscoveryRate }) {
                qualified.append(cell)
            } else {
                statistics.prunedAsRedundant += 1
            }
        }
        statistics.timings.redundancy = clock.now - start

        // MARK: - Rank
        try cancellation.check()
        start = clock.now
        let supports = qualified.map { lattice.cuboids[$0.cuboid].moments[$0.index].y }
        let keys = qualified.indices.map { position -> Double in
            let cell = qualified[position]
            switch options.ranking {
            case .impact: return abs(cell.value - cell.baseline) * supports[position]
            case .lift: return cell.baseline != 0 ? abs(cell.value / cell.baseline - 1) : .infinity
            case .support: return supports[position]
            }
        }
        let order = qualified.indices.sorted { left, right in
            if keys[left] != keys[right] { return keys[left] > keys[right] }
            if supports[left] != supports[right] { return supports[left] > supports[right] }
            if qualified[left].pValue != qualified[right].pValue {
                return qualified[left].pValue < qualified[right].pValue
            }
            return (qualified[left].cuboid, qualified[left].index) < (qualified[right].cuboid, qualified[right].index)
        }
        statistics.timings.ranking = clock.now - start

        // MARK: - Fold relatives
        start = clock.now
        var causes = order
        if options.baseline == .expected && options.foldsRelatives {
            causes = try fold(&qualified, order: order, lattice: lattice, test: test)
            statistics.folded = qualified.count - causes.count
        }
        statistics.qualified = causes.count
        statistics.timings.folding = clock.now - start

        start = clock.now
        let findings = causes.prefix(max(0, options.limit)).map {
            finding(for: qualified[$0], in: lattice, qualified: qualified, mainEffects: mainEffects)
        }
        statistics.reported = findings.count
        statistics.timings.ranking += clock.now - start

        return HotspotResult(findings: findings, globalValue: globalRate, total: whole, statistics: statistics)
    }

    // MARK: - Helpers

    /// The joint main-effects fits of the numerator and of each flow that occurs in the slice (a
    /// fit is nil where it does not apply). The fits are independent: they run in two calls, one
    /// per core, each fitting its numerators together in one sweep of the cells per margin. The
    /// numerator's own fit names what explains a member.
    private func numeratorAndFlowMainEffects(flowLattice: FlowLattice, numerator: [Double]) throws
        -> (numerator: MainEffectsFitter.Fit?, flows: [(flow: Int, fit: MainEffectsFitter.Fit?)]) {
        let occurring = (0..<flowLattice.flowCount).filter { flowLattice.total(of: $0) > 0 }
        // Lane 0 is the numerator; lane i + 1 is flow i.
        let lanes = [numerator] + (0..<flowLattice.flowCount).map { flowLattice.numerators(flow: $0) }
        let fitted = [0] + occurring.map { $0 + 1 }
        let split = (fitted.count + 1) / 2
        let halves = [Array(fitted.prefix(split)), Array(fitted.dropFirst(split))].filter { !$0.isEmpty }
        let fits = try parallelMap(halves.count) { half in
            try MainEffectsFitter().fit(numerators: halves[half].map { lanes[$0] }, over: flowLattice.lattice.finest,
                                        dimensions: input.dimensions, rollUpCodes: flowLattice.lattice.rollUpCodes,
                                        cancellation: cancellation)
        }.flatMap { $0 }
        return (fits[0], zip(occurring, fits.dropFirst()).map { ($0, $1) })
    }

    /// The one-condition expectations of a numerator of flows: each flow's fit, added up with the
    /// flows' coefficients, beside the denominator's own term. A flow that never occurs in the
    /// slice expects nothing. Nil when an occurring flow's fit does not apply.
    private func combinedMainEffects(_ flows: HotspotFlows, fits: [(flow: Int, fit: MainEffectsFitter.Fit?)], lattice: CuboidLattice,
                                     statistics: inout HotspotSearchStatistics) -> [[Double]]? {
        var combined = input.dimensions.indices.map { dimension -> [Double] in
            guard let cuboid = lattice.index(ofMask: 1 << UInt64(dimension)) else { return [] }
            return lattice.cuboids[cuboid].moments.map { flows.denominatorCoefficient * $0.y }
        }
        for (flow, fit) in fits {
            guard let fit, fit.expected.map(\.count) == combined.map(\.count) else { return nil }
            statistics.mainEffectsPasses += fit.iterations
            for dimension in combined.indices {
                for code in combined[dimension].indices {
                    combined[dimension][code] += flows.coefficients[flow] * fit.expected[dimension][code]
                }
            }
        }
        return combined
    }

    /// Divides the z's of each cuboid of depth ≥ 2 by the width of its empirical null
    /// (`EmpiricalNull`). The one-condition cells are left as they are: a main effect moves
    /// every member of its dimension, so a quarter or more of them depart by construction, and
    /// their centre is no null (on `--no-effects` data it is as wide as N(0, 1), on planted data
    /// twice as wide at 1,000,000 rows).
    private func widenToEmpiricalNull(_ tested: inout [TestedCell], lattice: CuboidLattice,
                                      statistics: inout HotspotSearchStatistics) throws {
        var families: [Int: [Int]] = [:]
        for (position, cell) in tested.enumerated() where lattice.cuboids[cell.cuboid].depth > 1 {
            families[cell.cuboid, default: []].append(position)
        }
        let estimator = EmpiricalNull()
        for family in families.keys.sorted() {
            try cancellation.check()
            let members = families[family]!
            guard members.count >= estimator.minimumCount else { continue }
            statistics.nullFamilies += 1
            let width = estimator.width(of: members.map { tested[$0].z })
            guard width > 1 else { continue }
            statistics.widenedNullFamilies += 1
            if width > statistics.widestNull {
                statistics.widestNull = width
                statistics.widestNullFamily = lattice.cuboids[family].dimensions.map { input.dimensions[$0].name }
                    .joined(separator: " × ")
            }
            for position in members {
                tested[position].z /= width
                tested[position].pValue = DeviationTest.pValue(
                    tested[position].z, cell: lattice.cuboids[family].moments[tested[position].index])
            }
        }
    }

    private func validateOptions() throws(HotspotError) {
        guard options.depth >= 1 else { throw .invalidDepth(options.depth) }
        guard options.minimumSupport >= 0, options.minimumSupport.isFinite else {
            throw .invalidOption("MIN SUPPORT must be 0 or more, not \(options.minimumSupport)")
        }
        guard options.falseDiscoveryRate > 0, options.falseDiscoveryRate <= 1 else {
            throw .invalidOption("the false discovery rate must lie in (0, 1], not \(options.falseDiscoveryRate)")
        }
        guard options.limit >= 0 else { throw .invalidOption("LIMIT must be 0 or more, not \(options.limit)") }
    }

    /// The rows a one-condition cell's main-effects expectation is rescaled within: its parent
    /// member (`channel = reseller` for a campaign of it), or the whole slice.
    private func scope(of dimension: Int, code: UInt32, in lattice: CuboidLattice) -> Moments {
        guard let parent = input.dimensions[dimension].hierarchyParent, let codes = lattice.rollUpCodes[dimension],
              Int(code) < codes.count, codes[Int(code)] != UInt32.max,
              let parentCuboid = lattice.index(ofMask: 1 << UInt64(parent)) else { return lattice.whole }
        return lattice.cuboids[parentCuboid].moments[Int(codes[Int(code)])]
    }

    private func isWorse(_ cell: TestedCell) -> Bool {
        input.measure.higherIsWorse ? cell.value > cell.baseline : cell.value < cell.baseline
    }

    private func isWanted(_ cell: TestedCell) -> Bool {
        guard cell.value != cell.baseline else { return false }
        switch options.direction {
        case .hot: return isWorse(cell)
        case .cold: return !isWorse(cell)
        case .both: return true
        }
    }

    // MARK: - Folding

    /// Folds qualified relatives under the cell that explains them and returns the causes in
    /// rank order; each cause's `relatives` lists what was folded under it, best ranked first.
    private func fold(_ qualified: inout [TestedCell], order: [Int], lattice: CuboidLattice, test: DeviationTest) throws -> [Int] {
        let count = qualified.count
        guard count > 1 else { return order }
        var rank = [Int](repeating: 0, count: count)
        for (position, cell) in order.enumerated() { rank[cell] = position }
        let conditions = qualified.map { lattice.cuboids[$0.cuboid].conditions(of: $0.index) }
        let moments = qualified.map { lattice.cuboids[$0.cuboid].moments[$0.index] }
        // The rest of a general cell keeps it reported when it departs at the 5% level; a specific
        // cell is kept apart from its general relative only on strong evidence (two-sided
        // p ≈ 0.003): with dozens of relatives per effect, a 5% test would keep a few of them
        // apart by chance alone.
        let critical = 1.959964
        let apart = 3.0

        // The general cell's deviation is the specific one's: the rest of it departs no more
        // than chance from its baseline, in the general cell's direction.
        func restIsExplained(general: Int, specific: Int) -> Bool {
            restIsExplained(general, outside: moments[specific])
        }
        /// The cell's deviation lies in `part` of it: the rest departs no more than chance.
        func restIsExplained(_ general: Int, outside part: Moments) -> Bool {
            let rest = moments[general] - part
            guard rest.y > 1e-9 * moments[general].y, rest.rows >= 0.5 else { return true }
            let cell = qualified[general]
            let z = test.zAgainstRate(cell: rest, expected: cell.baseline)
            return (cell.value >= cell.baseline ? z : -z) < critical
        }

        var explainer = [Int?](repeating: nil, count: count)
        // Of several cells that explain one, the closest relative (the most conditions) takes it,
        // then the better ranked: `campaign = var, country = US` goes under `channel = reseller,
        // country = US`, not under `channel = reseller`.
        func propose(_ cell: Int, explainedBy cause: Int) {
            if let current = explainer[cell] {
                let (held, offered) = (conditions[current].count, conditions[cause].count)
                if held > offered || (held == offered && rank[current] <= rank[cause]) { return }
            }
            explainer[cell] = cause
        }
        for general in 0..<count {
            if general % 64 == 0 { try cancellation.check() }
            for specific in 0..<count where specific != general
                && generalizes(conditions[general], conditions[specific], lattice: lattice) {
                let generalExplained = restIsExplained(general: general, specific: specific)
                let specificExplained = abs(test.zAgainstRest(cell: moments[specific], population: moments[general])) < apart
                switch (generalExplained, specificExplained) {
                case (true, true):
                    // One effect seen twice (the specific cell is most of the general one): the
                    // better ranked cell is its cause.
                    if rank[general] < rank[specific] { propose(specific, explainedBy: general) } else { propose(general, explainedBy: specific) }
                case (true, false): propose(general, explainedBy: specific)
                case (false, true): propose(specific, explainedBy: general)
                case (false, false): break
                }
            }
        }

        // Two overlapping cells, neither more general than the other (`campaign = display,
        // segment = smb` and `campaign = display, plan = starter`, plans following segments):
        // one whose deviation lies in the rows both share is the other's, seen through a
        // correlated dimension.
        for first in 0..<count {
            if first % 64 == 0 { try cancellation.check() }
            for second in (first + 1)..<count where conditions[first].count > 1 && conditions[second].count > 1
                && !generalizes(conditions[first], conditions[second], lattice: lattice)
                && !generalizes(conditions[second], conditions[first], lattice: lattice) {
                guard let shared = intersection(conditions[first], conditions[second], lattice: lattice) else { continue }
                switch (restIsExplained(first, outside: shared), restIsExplained(second, outside: shared)) {
                case (true, true):
                    if rank[first] < rank[second] { propose(second, explainedBy: first) } else { propose(first, explainedBy: second) }
                case (true, false): propose(first, explainedBy: second)
                case (false, true): propose(second, explainedBy: first)
                case (false, false): break
                }
            }
        }

        // Follow each cell to its cause; a cycle (rare) is broken at its best ranked member.
        var cause = [Int](repeating: -1, count: count)
        for start in order {
            var path: [Int] = []
            var current = start
            while cause[current] < 0, let next = explainer[current] {
                if let loop = path.firstIndex(of: current) {
                    let best = path[loop...].min { rank[$0] < rank[$1] }!
                    explainer[best] = nil
                    path.removeAll()
                    current = start
                    continue
                }
                path.append(current)
                current = next
            }
            let root = cause[current] >= 0 ? cause[current] : current
            cause[current] = root
            for member in path { cause[member] = root }
        }
        var causes: [Int] = []
        for cell in order {
            if cause[cell] == cell { causes.append(cell) } else { qualified[cause[cell]].relatives.append(cell) }
        }
        return causes
    }

    /// The moments of the rows two cells share, when they overlap on some dimension (a condition
    /// in common, or one a hierarchy ancestor of the other's) and the cell of both their
    /// conditions is in the lattice; nil otherwise (disjoint, or deeper than the search).
    private func intersection(_ first: [HotspotCondition], _ second: [HotspotCondition], lattice: CuboidLattice) -> Moments? {
        var codes: [Int: UInt32] = [:]
        var overlaps = false
        for condition in first + second {
            if let code = codes[condition.dimension] {
                guard code == condition.code else { return nil }
                overlaps = true
            }
            codes[condition.dimension] = condition.code
        }
        // A level and its ancestor: the member must roll up to the ancestor's, which it then implies.
        for (dimension, code) in codes {
            for ancestor in ancestors(of: HotspotCondition(dimension: dimension, code: code), lattice: lattice) {
                guard let held = codes[ancestor.dimension] else { continue }
                guard held == ancestor.code else { return nil }
                codes[ancestor.dimension] = nil
                overlaps = true
            }
        }
        guard overlaps else { return nil }
        let mask = codes.keys.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) }
        guard let cuboidIndex = lattice.index(ofMask: mask) else { return nil }
        let cuboid = lattice.cuboids[cuboidIndex]
        let index = cuboid.dimensions.enumerated().reduce(0) { $0 + Int(codes[$1.element]!) * cuboid.strides[$1.offset] }
        return cuboid.moments[index]
    }

    /// Every condition of `general` is a condition of `specific` or a hierarchy ancestor of one
    /// (`region = apac` of `country = JP`), and the two differ.
    private func generalizes(_ general: [HotspotCondition], _ specific: [HotspotCondition], lattice: CuboidLattice) -> Bool {
        guard general.count <= specific.count, general != specific else { return false }
        return general.allSatisfy { condition in
            specific.contains { member in member == condition || ancestors(of: member, lattice: lattice).contains(condition) }
        }
    }

    /// The members a condition rolls up to, level by level up its hierarchy (`region = apac` for
    /// `country = JP`); empty for a dimension without a parent level.
    private func ancestors(of condition: HotspotCondition, lattice: CuboidLattice) -> [HotspotCondition] {
        var chain: [HotspotCondition] = []
        var level = condition.dimension
        var code = condition.code
        while let parent = input.dimensions[level].hierarchyParent, let codes = lattice.rollUpCodes[level],
              Int(code) < codes.count, codes[Int(code)] != UInt32.max, chain.count <= input.dimensions.count {
            code = codes[Int(code)]
            level = parent
            chain.append(HotspotCondition(dimension: level, code: code))
        }
        return chain
    }

    /// `country = JP, AU, KR; (channel = online, region = apac)`: a more specific relative by the
    /// condition it adds to its cause (those of one dimension together), any other relative by
    /// all its conditions.
    private func alsoText(relatives: [[HotspotCondition]], cause: [HotspotCondition], lattice: CuboidLattice) -> String? {
        guard !relatives.isEmpty else { return nil }
        var groups: [(dimension: Int?, text: String)] = []
        for relative in relatives {
            let own = relative.filter { !cause.contains($0) }
            if own.count == 1 && generalizes(cause, relative, lattice: lattice) {
                let condition = own[0]
                let value = input.label(of: condition) ?? "NULL"
                if let slot = groups.firstIndex(where: { $0.dimension == condition.dimension }) {
                    groups[slot].text += ", " + value
                } else {
                    groups.append((condition.dimension, input.describe(condition)))
                }
            } else {
                let text = relative.count == 1 ? input.describe(relative) : "(" + input.describe(relative) + ")"
                if !groups.contains(where: { $0.dimension == nil && $0.text == text }) { groups.append((nil, text)) }
            }
        }
        return groups.map(\.text).joined(separator: "; ")
    }

    // MARK: - Findings

    /// `segment, channel and usage_pattern`.
    private static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    private func finding(for cell: TestedCell, in lattice: CuboidLattice, qualified: [TestedCell],
                         mainEffects: MainEffectsFitter.Fit?) -> HotspotFinding {
        let cuboid = lattice.cuboids[cell.cuboid]
        let moments = cuboid.moments[cell.index]
        let conditions = cuboid.conditions(of: cell.index)
        var baselineConditions: [HotspotCondition] = []
        let label: String
        switch options.baseline {
        case .global:
            label = "average"
        case .parent:
            if let position = cell.parentPosition {
                baselineConditions = conditions
                if let rolledUp = cell.rolledUpCondition {
                    baselineConditions[position] = rolledUp
                    baselineConditions.sort { $0.dimension < $1.dimension }
                } else {
                    baselineConditions.remove(at: position)
                }
                label = baselineConditions.map { input.label(of: $0) ?? "\(input.dimensions[$0.dimension].name) NULL" }
                    .joined(separator: " × ") + " average"
            } else {
                label = "average"
            }
        case .expected:
            if cuboid.depth == 1, let mainEffects {
                let condition = conditions[0]
                let explaining = MainEffectsFitter().explainingDimensions(
                    of: condition, fit: mainEffects, finest: lattice.finest, dimensions: input.dimensions,
                    rollUpCodes: lattice.rollUpCodes).map { input.dimensions[$0].name }
                let predicted = explaining.isEmpty ? nil
                    : "what \(Self.list(explaining)) predict" + (explaining.count == 1 ? "s" : "")
                if let parent = input.dimensions[condition.dimension].hierarchyParent,
                   let codes = lattice.rollUpCodes[condition.dimension], codes[Int(condition.code)] != UInt32.max {
                    let parentCondition = HotspotCondition(dimension: parent, code: codes[Int(condition.code)])
                    baselineConditions = [parentCondition]
                    label = input.describe(parentCondition) + (predicted.map { " and " + $0 } ?? "")
                } else {
                    label = predicted ?? "average"
                }
            } else if cuboid.depth == 1 {
                label = "average"
            } else {
                label = "expected from " + cuboid.dimensions.map { input.dimensions[$0].name }.joined(separator: " × ")
            }
        }
        let relatives = cell.relatives.map { lattice.cuboids[qualified[$0].cuboid].conditions(of: qualified[$0].index) }
        let also = alsoText(relatives: relatives, cause: conditions, lattice: lattice)
        let lift = cell.baseline != 0 ? cell.value / cell.baseline - 1 : nil
        let conditionText = input.describe(conditions)
        let format = input.measure.format
        var support = "n = " + ReadingFormat.count(moments.rows)
        if input.measure.kind == .ratioOfSums {
            support += " (denominator " + ReadingFormat.decimal(moments.y, digits: 0) + ")"
        }
        let impact = (cell.value - cell.baseline) * moments.y
        // The baseline is taken within the slice: the reading names it.
        var readingLabel = label
        if let slice = input.slice { readingLabel += (label.hasSuffix("average") ? " of " : " within ") + slice + " at" }
        let reading = "\(input.measure.title) \(ReadingFormat.value(cell.value, format: format)) vs \(readingLabel) "
            + "\(ReadingFormat.value(cell.baseline, format: format)) (\(ReadingFormat.lift(lift))) for \(conditionText); "
            + "\(support); \(ReadingFormat.qValue(cell.qValue)); impact \(ReadingFormat.impact(impact)) \(input.measure.impactUnit)"
            + (also.map { "; also: " + $0 } ?? "")
        return HotspotFinding(
            conditions: conditions, conditionText: conditionText, rows: moments.rows, support: moments.y,
            numerator: moments.x, value: cell.value, baseline: cell.baseline, baselineKind: options.baseline,
            baselineLabel: label, baselineConditions: baselineConditions, lift: lift,
            impact: impact, direction: isWorse(cell) ? .hot : .cold,
            z: cell.z, pValue: cell.pValue, qValue: cell.qValue, relatives: relatives, alsoText: also, reading: reading)
    }
}
