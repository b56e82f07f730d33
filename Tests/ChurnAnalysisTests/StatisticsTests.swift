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
        // Rows (x, y): (10, 100), (0, 50), (30, 200), each its own account; R = 40/350. Against 0.1:
        // Σ(x − 0.1y)² = 0 + 25 + 100 = 125, times G/(G − 1) = 3/2 for three accounts:
        // z = (40/350 − 0.1)·350/sqrt(187.5) = 5/sqrt(187.5).
        var cell = Moments.zero
        for (x, y) in [(10.0, 100.0), (0, 50), (30, 200)] { cell.add(x: x, y: y) }
        #expect(cell.rows == 3 && cell.clusters == 3 && cell.xx == 1000 && cell.yy == 52500 && cell.xy == 7000)
        let test = DeviationTest(kind: .ratioOfSums)
        #expect(abs(test.zAgainstRate(cell: cell, expected: 0.1) - 5 / 187.5.squareRoot()) < 1e-12)

        // Against the rest, residuals around the pooled rate: rest rows (5, 100), (5, 100); pooled 50/550.
        var rest = Moments.zero
        rest.add(x: 5, y: 100)
        rest.add(x: 5, y: 100)
        let pooled = 50.0 / 550
        let cellVariance = 1.5 * [(10.0, 100.0), (0, 50), (30, 200)].reduce(0) { $0 + pow2($1.0 - pooled * $1.1) } / (350 * 350)
        let restVariance = 2 * 2 * pow2(5 - pooled * 100) / (200 * 200)
        let z = (40.0 / 350 - 10.0 / 200) / (cellVariance + restVariance).squareRoot()
        #expect(abs(test.zAgainstRest(cell: cell, population: cell + rest) - z) < 1e-9)
        #expect(abs(z - 1.0645161) < 1e-6)
    }

    @Test func deltaMethodIsTakenOverAccounts() {
        // Three accounts: (10, 100) and (0, 100) in one, (30, 200), (0, 50). Their sums X, Y:
        // (10, 200), (30, 200), (0, 50); against 0.1 the residuals are −10, 10, −5: Σ = 225, times
        // 3/2: Var = 337.5, z = (40 − 45)/sqrt(337.5) = −0.272166. The four rows as accounts of
        // their own would give Σ = 0 + 100 + 100 + 25 = 225 times 4/3: 300.
        var cell = Moments.zero
        cell.add(cluster: 2, x: 10, y: 200)
        cell.add(cluster: 1, x: 30, y: 200)
        cell.add(cluster: 1, x: 0, y: 50)
        #expect(cell.rows == 4 && cell.clusters == 3 && cell.xx == 1000 && cell.yy == 82500 && cell.xy == 8000)
        let test = DeviationTest(kind: .ratioOfSums)
        #expect(abs(test.zAgainstRate(cell: cell, expected: 0.1) + 0.2721655269759087) < 1e-12)
        var rows = Moments.zero
        for (x, y) in [(10.0, 100.0), (0, 100), (30, 200), (0, 50)] { rows.add(x: x, y: y) }
        #expect(abs(test.zAgainstRate(cell: rows, expected: 0.1) + 5 / 300.0.squareRoot()) < 1e-12)
    }

    @Test func oneAccountGetsAMuchWiderIntervalThanMany() {
        // 36 account-months with 3 events (own rate 1/12), against 5%. From 36 accounts of one
        // month each: the design effect is 1 and Var = 36·0.05·0.95 = 1.71, se = √1.71/36 =
        // 0.0363242, z = (1/12 − 0.05)/se = 0.917663. From 4 accounts of 9 months, the events all
        // in one: Σ(X − Y/12)² = 2.25² + 3·0.75² = 6.75, times 4/3 = 9, over the binomial
        // 36·(1/12)·(11/12)·36/35 = 2.828571: design effect 3.181818, se = 0.0647938, z = 0.514453.
        // From one account: no variance at all, an infinite interval, z = 0.
        let test = DeviationTest(kind: .proportion)
        var many = Moments.zero
        for month in 0..<36 { many.add(x: month < 3 ? 1 : 0, y: 1) }
        var four = Moments.zero
        four.add(cluster: 9, x: 3, y: 9)
        for _ in 0..<3 { four.add(cluster: 9, x: 0, y: 9) }
        var one = Moments.zero
        one.add(cluster: 36, x: 3, y: 36)
        #expect(many.x == four.x && four.x == one.x && many.y == four.y && four.y == one.y)
        #expect(abs(test.standardError(of: many, around: 0.05) - 0.03632415786283895) < 1e-12)
        #expect(abs(test.zAgainstRate(cell: many, expected: 0.05) - 0.9176629354822468) < 1e-9)
        #expect(abs(test.standardError(of: four, around: 0.05) - 0.06479376762646484) < 1e-12)
        #expect(abs(test.zAgainstRate(cell: four, expected: 0.05) - 0.5144527715304275) < 1e-9)
        #expect(test.standardError(of: one, around: 0.05) == .infinity)
        #expect(test.zAgainstRate(cell: one, expected: 0.05) == 0)
        // The same for a ratio of sums: one account is never evidence.
        #expect(DeviationTest(kind: .ratioOfSums).zAgainstRate(cell: one, expected: 0.05) == 0)
        #expect(DeviationTest(kind: .ratioOfSums).standardError(of: four, around: 0.05)
                    > DeviationTest(kind: .ratioOfSums).standardError(of: many, around: 0.05) * 1.5)
    }

    @Test func momentsRatioIsNullWithoutDenominator() {
        #expect(Moments(rows: 3, x: 2, y: 0).ratio == nil)
        #expect(Moments(rows: 3, x: 1, y: 4).ratio == 0.25)
    }

    private func pow2(_ value: Double) -> Double { value * value }

    @Test func pooledSpreadBoundsTheVarianceOfHeavyTailedRatios() {
        // 100 rows of denominator 10, two with numerator 10, each its own account: the cell's own
        // spread at 1% is 200 − 2·0.01·200 + 0.0001·10,000 = 197, times 100/99, below the pooled
        // 0.05 · Σy² = 500.
        let cell = Moments(rows: 100, x: 20, y: 1000, xx: 200, yy: 10_000, xy: 200)
        #expect(abs(DeviationTest(kind: .ratioOfSums).zAgainstRate(cell: cell, expected: 0.01) - 0.708899) < 1e-5)
        #expect(abs(DeviationTest(kind: .ratioOfSums, pooledSpread: 0.05).zAgainstRate(cell: cell, expected: 0.01) - 0.447214) < 1e-5)
        // A spread below the cell's own changes nothing.
        #expect(abs(DeviationTest(kind: .ratioOfSums, pooledSpread: 0.001).zAgainstRate(cell: cell, expected: 0.01) - 0.708899) < 1e-5)
        // Σ(x − R·y)² / Σy² of the slice: rows (1, 1) and (0, 1), R = 0.5: (0.25 + 0.25) / 2.
        #expect(DeviationTest.pooledSpread(of: Moments(rows: 2, x: 1, y: 2, xx: 1, yy: 2, xy: 1)) == 0.25)
        // Proportions keep the binomial variance.
        let churn = Fixtures.proportion(rows: 1000, events: 60)
        #expect(DeviationTest(kind: .proportion, pooledSpread: 0.5).zAgainstRate(cell: churn, expected: 0.05)
                    == DeviationTest(kind: .proportion).zAgainstRate(cell: churn, expected: 0.05))
    }
}
