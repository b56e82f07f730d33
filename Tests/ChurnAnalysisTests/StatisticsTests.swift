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

    @Test func studentTMatchesClosedForms() {
        // ν = 1 (Cauchy): 1 − 2·atan(t)/π; ν = 2: 1 − t/√(2 + t²); ν = 3:
        // 1 − (2/π)·(atan(t/√3) + (t/√3)/(1 + t²/3)).
        #expect(abs(StudentT.twoSidedPValue(1, degreesOfFreedom: 1) - 0.5) < 1e-12)
        #expect(abs(StudentT.twoSidedPValue(-3, degreesOfFreedom: 1) - 0.20483276469913336) < 1e-12)
        #expect(abs(StudentT.twoSidedPValue(2, degreesOfFreedom: 2) - 0.18350341907227385) < 1e-12)
        #expect(abs(StudentT.twoSidedPValue(10, degreesOfFreedom: 2) / 0.0098524570233256 - 1) < 1e-9)
        #expect(abs(StudentT.twoSidedPValue(2.5, degreesOfFreedom: 3) - 0.08770664700806541) < 1e-12)
        #expect(abs(StudentT.twoSidedPValue(30, degreesOfFreedom: 3) / 8.135280427146174e-05 - 1) < 1e-9)
        // Many degrees of freedom: the normal tail, continuously on both sides of the switch.
        let normal = NormalDistribution.twoSidedPValue(4.5)
        #expect(abs(StudentT.twoSidedPValue(4.5, degreesOfFreedom: 1e6) - normal) < 1e-18)
        #expect(abs(StudentT.twoSidedPValue(4.5, degreesOfFreedom: StudentT.normalBeyond) / normal - 1) < 0.03)
        #expect(abs(StudentT.twoSidedPValue(5, degreesOfFreedom: StudentT.normalBeyond) / NormalDistribution.twoSidedPValue(5) - 1) < 0.04)
        // Few: far weaker evidence than the normal reads; none without a variance.
        #expect(StudentT.twoSidedPValue(4.5, degreesOfFreedom: 9) > 100 * normal)
        #expect(StudentT.twoSidedPValue(0, degreesOfFreedom: 5) == 1)
        #expect(StudentT.twoSidedPValue(.infinity, degreesOfFreedom: 5) == 0)
        #expect(StudentT.twoSidedPValue(3, degreesOfFreedom: 0) == 1)
        #expect(StudentT.twoSidedPValue(.nan, degreesOfFreedom: 5) == 1)
        // A cell's p-value takes its effective accounts less one: 10 accounts of equal
        // denominators are 10; one of 91 and nine of 1 are (100)² / (91² + 9) = 1.2074.
        var even = Moments.zero
        for _ in 0..<10 { even.add(cluster: 30, x: 1, y: 30) }
        #expect(DeviationTest.effectiveClusters(of: even) == 10)
        #expect(DeviationTest.pValue(4.5, cell: even) == StudentT.twoSidedPValue(4.5, degreesOfFreedom: 9))
        var uneven = Moments.zero
        uneven.add(cluster: 91, x: 9, y: 91)
        for _ in 0..<9 { uneven.add(cluster: 1, x: 0, y: 1) }
        #expect(abs(DeviationTest.effectiveClusters(of: uneven) - 10_000.0 / 8_290) < 1e-12)
        #expect(DeviationTest.pValue(4.5, cell: uneven) > 0.3)
        // Rows that are their own clusters: as many as the rows, when they weigh alike.
        var rows = Moments.zero
        for _ in 0..<500 { rows.add(x: 0, y: 1) }
        #expect(DeviationTest.effectiveClusters(of: rows) == 500)
    }

    @Test func fitVarianceOfMoneyTakesTheMarginsRestsIntoAccount() {
        // Two dimensions, two accounts in each part of the slice: the cell C, the rest of the
        // first margin A − C, of the second B − C, and the rows agreeing on neither.
        func part(_ accounts: [(Double, Double)]) -> Moments {
            var moments = Moments.zero
            for (x, y) in accounts { moments.add(cluster: 1, x: x, y: y) }
            return moments
        }
        let cell = part([(90, 100), (100, 100)])
        let restOfA = part([(150, 100), (40, 100)])
        let restOfB = part([(100, 100), (98, 100)])
        let neither = part([(500, 500), (480, 500)])
        let a = cell + restOfA, b = cell + restOfB, whole = a + restOfB + neither
        let expected = 196.0
        // Var over two accounts at rate r: 2·Σ(X − r·Y)².
        func variance(_ accounts: [(Double, Double)], _ rate: Double) -> Double {
            2 * accounts.reduce(0) { $0 + ($1.0 - rate * $1.1) * ($1.0 - rate * $1.1) }
        }
        let (wA, wB, wWhole) = (expected / a.x, expected / b.x, -expected / whole.x)
        func squared(_ value: Double) -> Double { value * value }
        let cellPart: Double = squared(1 - wA - wB - wWhole) * variance([(90, 100), (100, 100)], expected / 200)
        let aPart: Double = squared(wA + wWhole) * variance([(150, 100), (40, 100)], 190.0 / 200)
        let bPart: Double = squared(wB + wWhole) * variance([(100, 100), (98, 100)], 198.0 / 200)
        let restPart: Double = squared(wWhole) * variance([(500, 500), (480, 500)], 980.0 / 1000)
        let linearized = cellPart + aPart + bPart + restPart
        let test = DeviationTest(kind: .ratioOfSums)
        let z = test.zAgainstFit(cell: cell, expected: expected, projections: [whole, a, b, cell])
        let factorOnly = variance([(90, 100), (100, 100)], expected / 200) * (1 - expected / a.x) * (1 - expected / b.x)
        // 1,848.7 against 32.6: the rest of the first margin is far noisier than the cell.
        #expect(abs(linearized - 1848.6903208333304) < 1e-6 && linearized > 50 * factorOnly)
        #expect(abs(z - (190 - expected) / linearized.squareRoot()) < 1e-12)
        // A heavier rest outside both margins widens it further; a 0/1 rate keeps the factor.
        let heavy = part([(900, 500), (80, 500)])
        let heavyWhole = a + restOfB + heavy
        #expect(abs(test.zAgainstFit(cell: cell, expected: expected, projections: [heavyWhole, a, b, cell])) < abs(z))
        let counts = DeviationTest(kind: .proportion)
        let rates = [Fixtures.proportion(rows: 4000, events: 120), Fixtures.proportion(rows: 2000, events: 80),
                     Fixtures.proportion(rows: 2000, events: 80), Fixtures.proportion(rows: 1000, events: 60)]
        let mu = 160.0 / 3
        let adjusted = 1000 * (mu / 1000) * (1 - mu / 1000) * (1 - mu / 80) * (1 - mu / 80)
        #expect(abs(counts.zAgainstFit(cell: rates[3], expected: mu, projections: rates) - (60 - mu) / adjusted.squareRoot()) < 1e-9)
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
