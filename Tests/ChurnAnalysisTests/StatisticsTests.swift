import Testing
@testable import ChurnAnalysis

@Suite struct StatisticsTests {
    @Test func normalDistributionMatchesTables() {
        #expect(abs(NormalDistribution.cumulative(0) - 0.5) < 1e-15)
        #expect(abs(NormalDistribution.cumulative(1.959963984540054) - 0.975) < 1e-12)
        #expect(abs(NormalDistribution.cumulative(-1) - 0.15865525393145707) < 1e-12)
        #expect(abs(NormalDistribution.twoSidedPValue(1.959963984540054) - 0.05) < 1e-12)
        #expect(abs(NormalDistribution.twoSidedPValue(-3) - 0.0026997960632601866) < 1e-14)
        #expect(NormalDistribution.twoSidedPValue(0) == 1)
        // Far tails keep relative precision: P(|Z| ≥ 10) = 1.5239706e-23.
        #expect(abs(NormalDistribution.twoSidedPValue(10) / 1.5239706048321186e-23 - 1) < 1e-9)
    }

    @Test func benjaminiHochbergMatchesHandComputation() {
        // Sorted p: 0.005, 0.01, 0.03, 0.04, 0.2; p·5/rank: 0.025, 0.025, 0.05, 0.05, 0.2.
        let q = BenjaminiHochberg.qValues([0.01, 0.04, 0.03, 0.005, 0.2])
        let expected = [0.025, 0.05, 0.05, 0.025, 0.2]
        for (value, target) in zip(q, expected) { #expect(abs(value - target) < 1e-12) }
        // Step-up: p·m/rank = 0.03, 0.03, 0.021 becomes 0.021 for all three.
        let stepUp = BenjaminiHochberg.qValues([0.01, 0.02, 0.021])
        for value in stepUp { #expect(abs(value - 0.021) < 1e-12) }
        #expect(BenjaminiHochberg.qValues([0.9, 0.8]) == [0.9, 0.9])
        #expect(BenjaminiHochberg.qValues([]).isEmpty)
    }

    @Test func twoProportionTestUsesPooledVariance() {
        // 60/1000 against 40/1000: pooled 5%, sd = sqrt(0.05·0.95·2/1000) = 0.0097468, z = 2.05196.
        let test = DeviationTest(kind: .proportion)
        let cell = Fixtures.proportion(rows: 1000, events: 60)
        let population = cell + Fixtures.proportion(rows: 1000, events: 40)
        let z = test.zAgainstRest(cell: cell, population: population)
        #expect(abs(z - 2.0519567041703) < 1e-9)
        #expect(abs(NormalDistribution.twoSidedPValue(z) - 0.040169) < 1e-5)
        // A cell that is its whole population does not deviate from it.
        #expect(test.zAgainstRest(cell: cell, population: cell) == 0)
    }

    @Test func binomialTestAgainstFixedRate() {
        // 60/1000 against 5%: z = 0.01 / sqrt(0.05·0.95/1000) = 1.450953.
        let z = DeviationTest(kind: .proportion).zAgainstRate(cell: Fixtures.proportion(rows: 1000, events: 60), expected: 0.05)
        #expect(abs(z - 1.4509525002200) < 1e-9)
    }

    @Test func deltaMethodForRatioOfSums() {
        // Rows (x, y): (10, 100), (0, 50), (30, 200); R = 40/350. Against 0.1:
        // Σ(x − 0.1y)² = 0 + 25 + 100 = 125, sd = sqrt(125)/350, z = (40/350 − 0.1)·350/sqrt(125) = 5/sqrt(125).
        var cell = Moments.zero
        for (x, y) in [(10.0, 100.0), (0, 50), (30, 200)] { cell.add(x: x, y: y) }
        #expect(cell.rows == 3 && cell.xx == 1000 && cell.yy == 52500 && cell.xy == 7000)
        let test = DeviationTest(kind: .ratioOfSums)
        #expect(abs(test.zAgainstRate(cell: cell, expected: 0.1) - 5 / 125.0.squareRoot()) < 1e-12)

        // Against the rest, residuals around the pooled rate: rest rows (5, 100), (5, 100); pooled 50/550.
        var rest = Moments.zero
        rest.add(x: 5, y: 100)
        rest.add(x: 5, y: 100)
        let pooled = 50.0 / 550
        let cellVariance = [(10.0, 100.0), (0, 50), (30, 200)].reduce(0) { $0 + pow2($1.0 - pooled * $1.1) } / (350 * 350)
        let restVariance = 2 * pow2(5 - pooled * 100) / (200 * 200)
        let z = (40.0 / 350 - 10.0 / 200) / (cellVariance + restVariance).squareRoot()
        #expect(abs(test.zAgainstRest(cell: cell, population: cell + rest) - z) < 1e-9)
    }

    @Test func momentsRatioIsNullWithoutDenominator() {
        #expect(Moments(rows: 3, x: 2, y: 0).ratio == nil)
        #expect(Moments(rows: 3, x: 1, y: 4).ratio == 0.25)
    }

    private func pow2(_ value: Double) -> Double { value * value }

    @Test func pooledSpreadBoundsTheVarianceOfHeavyTailedRatios() {
        // 100 rows of denominator 10, two with numerator 10: the cell's own spread at 1% is
        // 200 − 2·0.01·200 + 0.0001·10,000 = 197, below the pooled 0.05 · Σy² = 500.
        let cell = Moments(rows: 100, x: 20, y: 1000, xx: 200, yy: 10_000, xy: 200)
        #expect(abs(DeviationTest(kind: .ratioOfSums).zAgainstRate(cell: cell, expected: 0.01) - 0.712470) < 1e-5)
        #expect(abs(DeviationTest(kind: .ratioOfSums, pooledSpread: 0.05).zAgainstRate(cell: cell, expected: 0.01) - 0.447214) < 1e-5)
        // A spread below the cell's own changes nothing.
        #expect(abs(DeviationTest(kind: .ratioOfSums, pooledSpread: 0.001).zAgainstRate(cell: cell, expected: 0.01) - 0.712470) < 1e-5)
        // Σ(x − R·y)² / Σy² of the slice: rows (1, 1) and (0, 1), R = 0.5: (0.25 + 0.25) / 2.
        #expect(DeviationTest.pooledSpread(of: Moments(rows: 2, x: 1, y: 2, xx: 1, yy: 2, xy: 1)) == 0.25)
        // Proportions keep the binomial variance.
        let churn = Fixtures.proportion(rows: 1000, events: 60)
        #expect(DeviationTest(kind: .proportion, pooledSpread: 0.5).zAgainstRate(cell: churn, expected: 0.05)
                    == DeviationTest(kind: .proportion).zAgainstRate(cell: churn, expected: 0.05))
    }
}
