import Foundation
import Testing
@testable import ChurnAnalysis

/// The empirical null: its width on samples of known spread, and what it does to a search whose
/// model every cell departs from a little.
@Suite struct EmpiricalNullTests {
    /// n draws of N(0, σ²) from a fixed seed (Box–Muller on a 64-bit LCG).
    static func normals(_ count: Int, sigma: Double, seed: UInt64) -> [Double] {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / 9007199254740992
        }
        return (0..<count).map { _ in sigma * (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
    }

    @Test func theWidthIsTheSpreadOfTheCentre() {
        let estimator = EmpiricalNull()
        // N(0, 1): never narrower than 1, and not much wider.
        let standard = estimator.width(of: Self.normals(4000, sigma: 1, seed: 7))
        #expect(standard >= 1 && standard < 1.06)
        let wide = estimator.width(of: Self.normals(4000, sigma: 2, seed: 11))
        #expect(abs(wide - 2) < 0.1)
        // A tenth of true effects far out barely moves the centre's width.
        let mixed = Self.normals(3600, sigma: 1.5, seed: 13) + [Double](repeating: 25, count: 400)
        let width = estimator.width(of: mixed)
        #expect(width > 1.5 && width < 1.8)
        // Narrower than N(0, 1) is taken as 1.
        #expect(estimator.width(of: Self.normals(4000, sigma: 0.5, seed: 17)) == 1)
    }

    @Test func fewOrUninformativeZsGiveNoEstimate() {
        let estimator = EmpiricalNull()
        #expect(estimator.width(of: Self.normals(39, sigma: 3, seed: 5)) == 1)
        // Zeros (cells of one account) are left out: 39 informative z's are too few.
        #expect(estimator.width(of: Self.normals(39, sigma: 3, seed: 5) + [Double](repeating: 0, count: 100)) == 1)
        #expect(estimator.width(of: Self.normals(40, sigma: 3, seed: 5)) > 2)
        #expect(EmpiricalNull.quantile([1, 2, 3, 4, 5], 0.25) == 2)
        #expect(EmpiricalNull.quantile([1, 2, 3, 4], 0.75) == 3.25)
    }

    /// 12 × 12 members of a and b, 200,000 rows per cell, churn 2% times a factor of a and one
    /// of b, each cell off that product by a few percent (σ 4%: what dimensions not searched do
    /// to a model of the searched ones), which at this size is a few standard errors. One cell,
    /// a = a4 and b = b9, churns 1.6 times its product.
    static var heterogeneousGrid: HotspotInput {
        let labels = (0..<12).map { "\($0)" }
        let a = HotspotDimension(name: "a", labels: [nil] + labels.map { "a" + $0 })
        let b = HotspotDimension(name: "b", labels: [nil] + labels.map { "b" + $0 })
        let departures = normals(144, sigma: 0.04, seed: 23)
        var cells: [HotspotCell] = []
        for i in 0..<12 {
            for j in 0..<12 {
                var rate = 0.02 * (1 + 0.05 * Double(i)) * (1 + 0.03 * Double(j)) * (1 + departures[i * 12 + j])
                if i == 4 && j == 9 { rate *= 1.6 }
                let rows = 200_000.0
                cells.append(HotspotCell(key: [UInt32(i + 1), UInt32(j + 1)],
                                         moments: Fixtures.proportion(rows: rows, events: (rows * rate).rounded())))
            }
        }
        return HotspotInput(dimensions: [a, b], cells: cells, measure: Fixtures.churn)
    }

    @Test func departuresEveryCellShowsAreNotFindings() throws {
        let input = Self.heterogeneousGrid
        let options = HotspotOptions(depth: 2, minimumSupport: 0, limit: 1000)
        let result = try HotspotSearch(input: input, options: options).run()
        let pairs = result.findings.filter { $0.conditions.count == 2 }.map(\.conditionText)
        #expect(pairs == ["a = a4, b = b9"])
        #expect(result.statistics.nullFamilies == 1)
        #expect(result.statistics.widestNullFamily == "a × b")
        #expect(result.statistics.widestNull > 2)
        #expect(result.statistics.explanation.contains {
            $0.hasPrefix("empirical null: ") && $0.contains("wider than N(0, 1) (widest ") && $0.contains("a × b), z divided by the width")
        })

        // Taken against N(0, 1), the cells' departures from the model are findings of their own.
        let lattice = try CuboidLattice(input: input, depth: 2)
        let pair = try #require(lattice.cuboids.firstIndex { $0.depth == 2 })
        let margins = (0..<2).compactMap { lattice.parent(of: lattice.cuboids[pair], droppingPosition: $0) }
        let fit = try ExpectedRateFitter().fit(lattice.cuboids[pair], margins: margins.map { lattice.cuboids[$0] },
                                               globalRate: lattice.whole.ratio!)
        let test = DeviationTest(kind: .proportion)
        let theoretical = lattice.cuboids[pair].moments.indices.map { index -> Double in
            // Subsets of the pair's positions: none (the whole), the first, the second, both.
            let projections = [lattice.whole] + (0..<2).reversed().map { dropped in
                lattice.cuboids[margins[dropped]].moments[lattice.cuboids[pair].parentIndex(of: index, droppingPosition: dropped)]
            } + [lattice.cuboids[pair].moments[index]]
            return test.zAgainstFit(cell: lattice.cuboids[pair].moments[index], expected: fit.expected[index],
                                    projections: projections)
        }
        #expect(theoretical.filter { abs($0) > 4 }.count > 10)
    }

    /// 60 members of one dimension, churning 1% to 3.95% (50,000 rows each): a main effect moves
    /// every member, so the one-condition cells are no null family and keep their z's.
    @Test func oneConditionCellsKeepTheirZs() throws {
        let member = HotspotDimension(name: "member", labels: [nil] + (0..<60).map { "m\($0)" })
        let cells = (0..<60).map { index in
            HotspotCell(key: [UInt32(index + 1)], moments: Fixtures.proportion(rows: 50_000, events: 500 + 25 * Double(index)))
        }
        let input = HotspotInput(dimensions: [member], cells: cells, measure: Fixtures.churn)
        let result = try HotspotSearch(input: input, options: HotspotOptions(depth: 1, minimumSupport: 0, limit: 100)).run()
        #expect(result.statistics.nullFamilies == 0)
        // The global rate is 2.475%: members 30 to 59 churn above it, those from m35 (2.75%,
        // z ≈ 3.9) well beyond chance.
        let hot = Set(result.findings.map(\.conditionText))
        #expect(hot.isSuperset(of: (35..<60).map { "member = m\($0)" }))
        #expect(hot.isSubset(of: (30..<60).map { "member = m\($0)" }))
    }
}
