import Testing
@testable import ChurnAnalysis

/// A numerator of flows (NRR's: what is kept, minus churn, plus expansion) fitted flow by flow.
@Suite struct NumeratorFlowTests {
    /// Moments of `rows` accounts of 100 MRR each, a share `loss` of which churn (keeping 0) while
    /// the rest expand by 1% of the cell's MRR between them: numerator = y − churned + upsell.
    static func retention(rows: Double, loss: Double) -> (moments: Moments, churned: Double, upsell: Double) {
        let kept = rows * (1 - loss)
        let value = 100 + 1 / (1 - loss)
        let moments = Moments(rows: rows, x: kept * value, y: rows * 100, xx: kept * value * value, yy: rows * 10_000,
                              xy: kept * 100 * value)
        return (moments, rows * loss * 100, rows)
    }

    /// segment × usage, churn 1% times a segment factor (1, 1.5, 2) times a usage factor (1, 2,
    /// 4): churn multiplies, so NRR as a whole does not.
    static func multiplyingChurn(withFlows: Bool) -> HotspotInput {
        let segment = HotspotDimension(name: "segment", labels: [nil, "enterprise", "mid_market", "smb"])
        let usage = HotspotDimension(name: "usage", labels: [nil, "active", "light", "dormant"])
        var cells: [HotspotCell] = []
        var churned: [Double] = []
        var upsell: [Double] = []
        for (s, segmentFactor) in [1.0, 1.5, 2].enumerated() {
            for (u, usageFactor) in [1.0, 2, 4].enumerated() {
                let cell = retention(rows: 100_000, loss: 0.01 * segmentFactor * usageFactor)
                cells.append(HotspotCell(key: [UInt32(s + 1), UInt32(u + 1)], moments: cell.moments))
                churned.append(cell.churned)
                upsell.append(cell.upsell)
            }
        }
        let nrr = HotspotMeasure(name: "nrr", kind: .ratioOfSums, impactUnit: "MRR", impactIsMoney: true, higherIsWorse: false)
        let flows = HotspotFlows(denominatorCoefficient: 1, coefficients: [-1, 1], names: ["churned_mrr", "upsell_mrr"],
                                 sums: [churned, upsell])
        return HotspotInput(dimensions: [segment, usage], cells: cells, measure: nrr, flows: withFlows ? flows : nil)
    }

    @Test func churnThatMultipliesIsNoInteraction() throws {
        let options = HotspotOptions(depth: 2, minimumSupport: 0, direction: .both, limit: 100)
        let byFlow = try HotspotSearch(input: Self.multiplyingChurn(withFlows: true), options: options).run()
        #expect(byFlow.statistics.fittedFlows == ["churned_mrr", "upsell_mrr"])
        #expect(byFlow.findings.filter { $0.conditions.count == 2 }.isEmpty)
        // The flows' fits reproduce every cell (smb's dormant accounts keep 92% + 1%): even at
        // q ≤ 1 no pair departs from its expectation.
        let everything = try HotspotSearch(input: Self.multiplyingChurn(withFlows: true),
                                           options: Fixtures.everything(.expected, depth: 2)).run()
        #expect(everything.findings.filter { $0.conditions.count == 2 }.allSatisfy { abs($0.lift ?? 1) < 1e-9 })
        #expect(Set(byFlow.findings.map(\.conditionText)).isSuperset(of: ["segment = smb", "usage = dormant"]))

        // NRR fitted as a whole expects smb's dormant accounts to lose what smb and dormancy lose
        // side by side, and reports the cell.
        let whole = try HotspotSearch(input: Self.multiplyingChurn(withFlows: false), options: options).run()
        #expect(whole.statistics.fittedFlows.isEmpty)
        #expect(whole.finding("segment = smb, usage = dormant") != nil)
    }
    @Test func flowsAreFittedFromTheirMarginsAlone() throws {
        let input = Self.multiplyingChurn(withFlows: true)
        let flows = try #require(input.flows)
        let lattice = try CuboidLattice(input: input, depth: 2)
        let flowLattice = try #require(try FlowLattice(input: input, flows: flows, finest: lattice.finest, depth: 2))
        // One depth short: the pair's own flows are never aggregated.
        #expect(flowLattice.lattice.cuboids.map(\.depth) == [1, 1])
        let pair = try #require(lattice.cuboids.firstIndex { $0.depth == 2 })
        let fitted = try ExpectedRateFitter().fit(cuboidAt: pair, of: lattice, flows: flows, flowLattice: flowLattice).expected

        // The same from each flow's whole two-way table and its margins, added up.
        let shape = lattice.cuboids[pair]
        var expected = shape.moments.map { flows.denominatorCoefficient * $0.y }
        for (flow, coefficient) in flows.coefficients.enumerated() {
            var table = Cuboid(dimensions: shape.dimensions, radices: shape.radices)
            for (cell, sum) in zip(input.cells, flows.sums[flow]) {
                let index = zip(cell.key, shape.strides).reduce(0) { $0 + Int($1.0) * $1.1 }
                table.moments[index] = Moments(rows: cell.moments.rows, x: sum, y: cell.moments.y)
            }
            let margins = (0..<2).map { dropped -> Cuboid in
                var margin = Cuboid(dimensions: [shape.dimensions[1 - dropped]], radices: [shape.radices[1 - dropped]])
                margin.accumulate(rollingUp: table, droppingPosition: dropped, cells: 0..<table.cellCount)
                return margin
            }
            let total = flows.sums[flow].reduce(0, +)
            let fit = try ExpectedRateFitter().fit(table, margins: margins, globalRate: total / lattice.whole.y)
            for cell in expected.indices { expected[cell] += coefficient * fit.expected[cell] }
        }
        #expect(fitted.count == expected.count)
        for (mine, theirs) in zip(fitted, expected) { #expect(abs(mine - theirs) <= 1e-9 * max(1, abs(theirs))) }
        #expect(expected.contains { $0 > 0 })
    }
}
