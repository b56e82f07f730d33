import Testing
@testable import ChurnAnalysis

@Suite struct HotspotSearchTests {
    @Test func globalBaselineLiftImpactAndZ() throws {
        let result = try HotspotSearch(input: Fixtures.regionChannel, options: Fixtures.everything(.global)).run()
        #expect(result.globalValue == 0.03)
        let cell = try #require(result.finding("region = amer, channel = reseller"))
        #expect(cell.value == 0.06)
        #expect(cell.baseline == 0.03)
        #expect(abs(cell.lift! - 1) < 1e-12)
        #expect(abs(cell.impact - 30) < 1e-9)
        // 60/1000 against the other 60/3000, pooled 3%: z = 0.04 / sqrt(0.03·0.97·(1/1000 + 1/3000)).
        #expect(abs(cell.z - 6.421616) < 1e-5)
        #expect(cell.direction == .hot)
        #expect(cell.baselineLabel == "average")
        let emea = try #require(result.finding("region = emea"))
        #expect(emea.direction == .cold)
        #expect(abs(emea.impact + 20) < 1e-9)
    }

    @Test func expectedBaselineFromMargins() throws {
        // Margins: amer 80, emea 40, direct 40, reseller 80. The main-effects fit is
        // μ = 1000·[2t 4t; t 2t] with 6t = 0.08: amer resellers expect 53.33 churned (5.33%).
        let result = try HotspotSearch(input: Fixtures.regionChannel, options: Fixtures.everything(.expected)).run()
        let cell = try #require(result.finding("region = amer, channel = reseller"))
        #expect(abs(cell.baseline - 0.16 / 3) < 1e-9)
        #expect(abs(cell.lift! - 0.125) < 1e-8)
        #expect(abs(cell.impact - 20.0 / 3) < 1e-6)
        // The adjusted residual: the margins amer and reseller (80 churned each) hold their totals,
        // so the cell's excess is shared: Var = 1000·r·(1 − r) · (1 − 53.33/80)², r = 5.33%.
        #expect(abs(cell.z - 2.814700) < 1e-5)
        #expect(cell.baselineLabel == "expected from region × channel")
        let direct = try #require(result.finding("region = emea, channel = direct"))
        #expect(abs(direct.baseline - 0.04 / 3) < 1e-9)
        // At depth 1 the expectation is the global rate.
        #expect(result.finding("region = amer")?.baseline == 0.03)
        #expect(result.finding("region = amer")?.baselineLabel == "average")
    }

    @Test func noInteractionMeansNoNews() throws {
        // Rates multiply exactly (2× for amer, 3× for reseller): the fit reproduces every cell.
        let region = HotspotDimension(name: "region", labels: [nil, "amer", "emea"])
        let channel = HotspotDimension(name: "channel", labels: [nil, "direct", "reseller"])
        let cells = [
            HotspotCell(key: [1, 1], moments: Fixtures.proportion(rows: 3000, events: 120)),
            HotspotCell(key: [1, 2], moments: Fixtures.proportion(rows: 1000, events: 120)),
            HotspotCell(key: [2, 1], moments: Fixtures.proportion(rows: 1000, events: 20)),
            HotspotCell(key: [2, 2], moments: Fixtures.proportion(rows: 2000, events: 120)),
        ]
        let input = HotspotInput(dimensions: [region, channel], cells: cells, measure: Fixtures.churn)
        let result = try HotspotSearch(input: input, options: HotspotOptions(direction: .both)).run()
        #expect(result.findings.allSatisfy { $0.depth == 1 })
        let all = try HotspotSearch(input: input, options: Fixtures.everything(.expected)).run()
        #expect(all.findings.filter { $0.depth == 2 }.allSatisfy { abs($0.lift!) < 1e-6 })
    }

    @Test func parentBaselineNamesTheClosestParent() throws {
        let result = try HotspotSearch(input: Fixtures.countryChannel, options: Fixtures.everything(.parent)).run()
        let cell = try #require(result.finding("country = US, channel = reseller"))
        // Against US direct (4%) it is close; against CA resellers (1%) far.
        #expect(cell.baseline == 0.045)
        #expect(cell.baselineLabel == "US average")
        #expect(cell.baselineConditions.map(\.dimension) == [1])
        #expect(abs(cell.z - 1.078641) < 1e-5)
        #expect(cell.reading.hasPrefix("logo churn 5.00% vs US average 4.50% (+11%) for country = US, channel = reseller; n = 1,000; q = "))
        // The only region is the whole slice: no deviation to report.
        #expect(result.finding("region = amer") == nil)
    }

    @Test func readingsNameTheSliceAndTheUnitOfImpact() throws {
        var input = Fixtures.countryChannel
        input.slice = "segment = 'smb'"
        let parent = try HotspotSearch(input: input, options: Fixtures.everything(.parent)).run()
        let cell = try #require(parent.finding("country = US, channel = reseller"))
        #expect(cell.baselineLabel == "US average")
        #expect(cell.reading.hasPrefix("logo churn 5.00% vs US average of segment = 'smb' at 4.50% (+11%) for country = US, channel = reseller; "))
        #expect(cell.reading.hasSuffix("; impact +5.00 churned accounts"))
        let global = try HotspotSearch(input: input, options: Fixtures.everything(.global)).run()
        #expect(global.findings.allSatisfy { $0.reading.contains(" vs average of segment = 'smb' at ") })
        let expected = try HotspotSearch(input: input, options: Fixtures.everything(.expected)).run()
        #expect(expected.findings.filter { $0.depth == 2 }.allSatisfy { $0.reading.contains(" within segment = 'smb' at ") })
    }

    @Test func parentBaselineCanBeTheHierarchyLevelAbove() throws {
        // Two regions; US churns like the rest of amer, so amer explains US better than the whole does.
        let region = HotspotDimension(name: "region", labels: [nil, "amer", "emea"])
        let country = HotspotDimension(name: "country", labels: [nil, "US", "CA", "DE"], hierarchyParent: 0)
        let cells = [
            HotspotCell(key: [1, 1], moments: Fixtures.proportion(rows: 1000, events: 40)),
            HotspotCell(key: [1, 2], moments: Fixtures.proportion(rows: 1000, events: 38)),
            HotspotCell(key: [2, 3], moments: Fixtures.proportion(rows: 2000, events: 20)),
        ]
        let input = HotspotInput(dimensions: [region, country], cells: cells, measure: Fixtures.churn)
        let result = try HotspotSearch(input: input, options: Fixtures.everything(.parent)).run()
        let us = try #require(result.finding("country = US"))
        #expect(us.baselineLabel == "amer average")
        #expect(us.baseline == 0.039)
        #expect(us.baselineConditions == [HotspotCondition(dimension: 0, code: 1)])
    }

    @Test func hierarchyPairsAreNeverCombined() throws {
        let result = try HotspotSearch(input: Fixtures.countryChannel, options: Fixtures.everything(.global)).run()
        // {region}, {country}, {channel}, {region, channel}, {country, channel}.
        #expect(result.statistics.cuboids == 5)
        #expect(!result.findings.isEmpty)
        #expect(result.findings.allSatisfy { finding in
            !(finding.conditions.contains { $0.dimension == 0 } && finding.conditions.contains { $0.dimension == 1 })
        })
        // campaign (1) under channel (0), country (3) under region (2): 8 + 26 + 44 sets of eight dimensions.
        var parents = [Int?](repeating: nil, count: 8)
        parents[1] = 0
        parents[3] = 2
        let dimensions = parents.enumerated().map { HotspotDimension(name: "d\($0)", labels: [nil], hierarchyParent: $1) }
        let related = try CuboidLattice.hierarchyRelations(dimensions)
        let sets = CuboidLattice.dimensionSets(count: 8, depth: 3, related: related)
        #expect(sets.count == 78)
        #expect(sets.filter { $0.count == 2 }.count == 26)
        #expect(!sets.contains([0, 1]) && !sets.contains([2, 3]) && sets.contains([1, 3]))
    }

    @Test func redundantChildrenArePruned() throws {
        // a1 ∧ b1 churns 6%, everything else 2%; C is noise. Children of a1 ∧ b1 add nothing.
        let dimensions = ["a", "b", "c"].map { HotspotDimension(name: $0, labels: [nil, "\($0)1", "\($0)2"]) }
        var cells: [HotspotCell] = []
        for a in UInt32(1)...2 {
            for b in UInt32(1)...2 {
                for c in UInt32(1)...2 {
                    let events: Double = a == 1 && b == 1 ? 300 : 100
                    cells.append(HotspotCell(key: [a, b, c], moments: Fixtures.proportion(rows: 5000, events: events)))
                }
            }
        }
        let input = HotspotInput(dimensions: dimensions, cells: cells, measure: Fixtures.churn)
        let result = try HotspotSearch(input: input, options: HotspotOptions(baseline: .global)).run()
        #expect(result.findings.map(\.conditionText) == ["a = a1, b = b1", "a = a1", "b = b1"])
        #expect(abs(result.findings[0].impact - 300) < 1e-9)
        // (a1, c1), (a1, c2), (b1, c1), (b1, c2), (a1, b1, c1), (a1, b1, c2).
        #expect(result.statistics.prunedAsRedundant == 6)
        #expect(result.statistics.cuboids == 7)
    }

    @Test func minimumSupportIsOnTheDenominator() throws {
        let plan = HotspotDimension(name: "plan", labels: [nil, "small", "many", "empty", "big"])
        var small = Moments.zero, many = Moments.zero, empty = Moments.zero, big = Moments.zero
        for _ in 0..<10 { small.add(x: 30, y: 60) }  // 10 rows, Σy = 600
        for _ in 0..<1000 { many.add(x: 0.01, y: 0.1) }  // 1,000 rows, Σy = 100
        for _ in 0..<50 { empty.add(x: 1, y: 0) }  // Σy = 0: NULL
        for _ in 0..<100 { big.add(x: 1, y: 100) }  // Σy = 10,000
        let cells = [small, many, empty, big].enumerated().map { HotspotCell(key: [UInt32($0 + 1)], moments: $1) }
        let measure = HotspotMeasure(name: "revenue_churn_rate", kind: .ratioOfSums, format: .percent, impactUnit: "churned MRR")
        let input = HotspotInput(dimensions: [plan], cells: cells, measure: measure)
        let result = try HotspotSearch(input: input, options: Fixtures.everything(.global, minimumSupport: 500)).run()
        #expect(result.statistics.cellsEnumerated == 4)
        #expect(result.statistics.prunedBySupport == 2)
        #expect(result.statistics.tested == 2)
        #expect(Set(result.findings.map(\.conditionText)) == ["plan = small", "plan = big"])
        let total = 300 + 10 + 50 + 100.0
        #expect(abs(result.globalValue! - total / (600 + 100 + 0 + 10_000)) < 1e-12)
        let smallFinding = try #require(result.finding("plan = small"))
        #expect(smallFinding.value == 0.5)
        #expect(smallFinding.support == 600 && smallFinding.rows == 10)
        #expect(smallFinding.reading.contains("n = 10 (denominator 600)"))
        // Even without a minimum, a cell with Σy = 0 has no value and is not judged.
        let unbounded = try HotspotSearch(input: input, options: Fixtures.everything(.global)).run()
        #expect(unbounded.statistics.prunedBySupport == 1)
        #expect(unbounded.finding("plan = empty") == nil)
    }

    @Test func directionFollowsTheMeasure() throws {
        var input = Fixtures.regionChannel
        input.measure = HotspotMeasure(name: "renewal_rate", kind: .proportion, impactUnit: "renewals", higherIsWorse: false)
        let hot = try HotspotSearch(input: input, options: HotspotOptions(baseline: .global)).run()
        #expect(!hot.findings.isEmpty)
        #expect(hot.findings.allSatisfy { $0.value < $0.baseline && $0.direction == .hot })
        let cold = try HotspotSearch(input: input, options: HotspotOptions(baseline: .global, direction: .cold)).run()
        #expect(cold.findings.first?.conditionText == "region = amer, channel = reseller")
        #expect(cold.findings.allSatisfy { $0.direction == .cold })
    }

    @Test func rankingAndLimit() throws {
        let input = Fixtures.regionChannel
        let byImpact = try HotspotSearch(input: input, options: HotspotOptions(baseline: .global)).run()
        #expect(byImpact.findings.map(\.conditionText) == ["region = amer, channel = reseller", "region = amer", "channel = reseller"])
        let bySupport = try HotspotSearch(input: input, options: HotspotOptions(baseline: .global, ranking: .support)).run()
        #expect(bySupport.findings.last?.conditionText == "region = amer, channel = reseller")
        let limited = try HotspotSearch(input: input, options: HotspotOptions(baseline: .global, ranking: .lift, limit: 1)).run()
        #expect(limited.findings.map(\.conditionText) == ["region = amer, channel = reseller"])
        #expect(limited.statistics.qualified == 3 && limited.statistics.reported == 1)
        #expect(limited.statistics.explanation.contains("reported: 1"))
    }

    @Test func invalidInputsAreReported() {
        var input = Fixtures.regionChannel
        input.cells.append(HotspotCell(key: [1], moments: Fixtures.proportion(rows: 1, events: 0)))
        #expect(throws: HotspotError.keyLength(cell: 4, found: 1, expected: 2)) { try HotspotSearch(input: input).run() }
        input = Fixtures.regionChannel
        input.cells.append(HotspotCell(key: [1, 7], moments: Fixtures.proportion(rows: 1, events: 0)))
        #expect(throws: HotspotError.codeOutOfRange(dimension: "channel", code: 7, cardinality: 3)) {
            try HotspotSearch(input: input).run()
        }
        input = Fixtures.regionChannel
        input.dimensions[0].hierarchyParent = 1
        input.dimensions[1].hierarchyParent = 0
        #expect(throws: HotspotError.hierarchyCycle(dimension: "region")) { try HotspotSearch(input: input).run() }
        #expect(throws: HotspotError.invalidDepth(0)) {
            try HotspotSearch(input: Fixtures.regionChannel, options: HotspotOptions(depth: 0)).run()
        }
    }

    @Test func drillPathShowsWhereTheDeviationEnters() throws {
        let input = Fixtures.countryChannel
        let steps = try input.drillPath([HotspotCondition(dimension: 1, code: 1), HotspotCondition(dimension: 2, code: 2)])
        #expect(steps.count == 3)
        #expect(steps[0].value == 0.0275 && steps[0].rows == 4000 && steps[0].change == nil)
        #expect(steps[1].value == 0.045 && steps[1].rows == 2000)
        #expect(abs(steps[1].change! - (0.045 / 0.0275 - 1)) < 1e-12)
        #expect(steps[2].value == 0.05 && abs(steps[2].change! - 1.0 / 9) < 1e-12)
        #expect(abs(steps[2].z! - 1.078641) < 1e-5)
        #expect(steps[2].reading == "logo churn 5.00% for country = US, channel = reseller; n = 1,000; +11% on country = US (p = 0.281)")
        #expect(steps[0].reading == "logo churn 2.75% for all rows; n = 4,000")
    }
}
