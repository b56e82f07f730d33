import Testing
@testable import ChurnAnalysis

/// `VERSUS expected` at one condition (main effects adjusted for each other, hierarchy levels
/// within their parent member) and the folding of relatives, on inputs worked out by hand.
@Suite struct AdjustedBaselineTests {
    /// segment × plan where only segment matters (smb 4%, enterprise 2% whatever the plan), and
    /// plans follow segments: smb is mostly starter, enterprise mostly pro.
    static var segmentPlan: HotspotInput {
        let segment = HotspotDimension(name: "segment", labels: [nil, "smb", "enterprise"])
        let plan = HotspotDimension(name: "plan", labels: [nil, "starter", "pro"])
        let cells = [
            HotspotCell(key: [1, 1], moments: Fixtures.proportion(rows: 3000, events: 120)),
            HotspotCell(key: [1, 2], moments: Fixtures.proportion(rows: 1000, events: 40)),
            HotspotCell(key: [2, 1], moments: Fixtures.proportion(rows: 1000, events: 20)),
            HotspotCell(key: [2, 2], moments: Fixtures.proportion(rows: 3000, events: 60)),
        ]
        return HotspotInput(dimensions: [segment, plan], cells: cells, measure: Fixtures.churn)
    }

    @Test func aCorrelatedDimensionExplainsAMainEffect() throws {
        let input = Self.segmentPlan
        // Against the global 3%, starter (3.5%) looks hot; segment explains all of it.
        let global = try HotspotSearch(input: input, options: HotspotOptions(baseline: .global)).run()
        #expect(global.finding("plan = starter") != nil)
        let adjusted = try HotspotSearch(input: input).run()
        #expect(adjusted.findings.map(\.conditionText) == ["segment = smb"])

        // Without plan's own effect, starter's cells expect 3000·4% + 1000·2% = 140 churned, what
        // they show: no departure to report even at q ≤ 1.
        let all = try HotspotSearch(input: input, options: Fixtures.everything(.expected)).run()
        #expect(all.finding("plan = starter") == nil)
        let lattice = try CuboidLattice(input: input, depth: 1)
        let fitter = MainEffectsFitter()
        let fit = try #require(try fitter.fit(lattice.finest, dimensions: input.dimensions, rollUpCodes: lattice.rollUpCodes))
        #expect(abs(fit.expected[1][1] - 140) < 1e-6)
        #expect(abs(fit.expected[0][1] - 120) < 1e-6)
        #expect(fitter.explainingDimensions(of: HotspotCondition(dimension: 1, code: 1), fit: fit, finest: lattice.finest,
                                            dimensions: input.dimensions, rollUpCodes: lattice.rollUpCodes) == [0])
        // smb without its own effect expects the 3% plans alone predict: 120 of 4,000.
        let smb = try #require(all.finding("segment = smb"))
        #expect(abs(smb.baseline - 0.03) < 1e-9)
        #expect(abs(smb.impact - 40) < 1e-6)
        // The expectation is a share of the whole slice: with one effect this is the
        // two-proportion test of smb against enterprise, 0.02 / sqrt(0.03·0.97·(2/4000)).
        #expect(abs(smb.z - 5.243227) < 1e-5)
        #expect(smb.baselineLabel == "average")
        #expect(all.statistics.mainEffectsPasses == 2)
        #expect(all.statistics.explanation.contains { $0.hasPrefix("main effects: ") && $0.hasSuffix(" ms (2 fitting passes)") })
    }

    /// channel > campaign: online churns 2% in both its campaigns; reseller 4% overall, its
    /// distributor campaign 6%.
    static let channel = HotspotDimension(name: "channel", labels: [nil, "online", "reseller"])
    static let campaign = HotspotDimension(name: "campaign", labels: [nil, "email", "search", "var", "distributor"], hierarchyParent: 0)
    static let channelCampaignCells = [
        HotspotCell(key: [1, 1], moments: Fixtures.proportion(rows: 1000, events: 20)),
        HotspotCell(key: [1, 2], moments: Fixtures.proportion(rows: 1000, events: 20)),
        HotspotCell(key: [2, 3], moments: Fixtures.proportion(rows: 1000, events: 20)),
        HotspotCell(key: [2, 4], moments: Fixtures.proportion(rows: 1000, events: 60)),
    ]

    @Test func aChildMemberIsJudgedAgainstItsParentMember() throws {
        let (channel, campaign, cells) = (Self.channel, Self.campaign, Self.channelCampaignCells)
        let input = HotspotInput(dimensions: [channel, campaign], cells: cells, measure: Fixtures.churn)
        let all = try HotspotSearch(input: input, options: Fixtures.everything(.expected)).run()
        let distributor = try #require(all.finding("campaign = distributor"))
        #expect(abs(distributor.baseline - 0.04) < 1e-9)
        #expect(distributor.baselineLabel == "channel = reseller")
        #expect(distributor.baselineConditions == [HotspotCondition(dimension: 0, code: 2)])
        #expect(distributor.reading.hasPrefix("logo churn 6.00% vs channel = reseller 4.00% (+50%) for campaign = distributor;"))
        // Against the rest of its channel (var, 2%), pooled 4%: 0.04 / sqrt(0.04·0.96·(2/1000)).
        #expect(abs(distributor.z - 4.564355) < 1e-5)
        // A campaign that churns like its channel is no news, though it is above the global 3%.
        #expect(all.finding("campaign = email") == nil)
        let lattice = try CuboidLattice(input: input, depth: 1)
        let fit = try #require(try MainEffectsFitter().fit(lattice.finest, dimensions: input.dimensions, rollUpCodes: lattice.rollUpCodes))
        #expect(abs(fit.expected[1][1] - 20) < 1e-6 && abs(fit.expected[1][4] - 40) < 1e-6)
        let reported = try HotspotSearch(input: input).run()
        // reseller's excess is all distributor's: the channel is folded under its campaign.
        #expect(reported.findings.map(\.conditionText) == ["campaign = distributor"])
        #expect(reported.findings.first?.alsoText == "channel = reseller")
        let unfolded = try HotspotSearch(input: input, options: HotspotOptions(foldsRelatives: false)).run()
        #expect(unfolded.findings.map(\.conditionText) == ["channel = reseller", "campaign = distributor"])
        #expect(unfolded.finding("channel = reseller")?.baselineLabel == "average")
    }

    @Test func aChildMemberWithBlankParentRowsIsJudgedAgainstItsRealParent() throws {
        // As above, but some of distributor's rows come first with a blank channel (an export's
        // mistake): the campaign still rolls up to reseller, where most of its rows are.
        let (channel, campaign) = (Self.channel, Self.campaign)
        let cells = [HotspotCell(key: [0, 4], moments: Fixtures.proportion(rows: 100, events: 6))] + Self.channelCampaignCells
        let input = HotspotInput(dimensions: [channel, campaign], cells: cells, measure: Fixtures.churn)
        let lattice = try CuboidLattice(input: input, depth: 1)
        #expect(lattice.rollUpCodes[1] == [UInt32.max, 1, 1, 2, 2])
        let all = try HotspotSearch(input: input, options: Fixtures.everything(.expected)).run()
        let distributor = try #require(all.finding("campaign = distributor"))
        #expect(distributor.baselineLabel == "channel = reseller")
        #expect(distributor.baselineConditions == [HotspotCondition(dimension: 0, code: 2)])

        // When blank is the only parent a member has, blank is its parent.
        let orphan = HotspotInput(dimensions: [channel, campaign], cells: [cells[0]] + cells.dropFirst().filter { $0.key[1] != 4 },
                                  measure: Fixtures.churn)
        #expect(try CuboidLattice(input: orphan, depth: 1).rollUpCodes[1] == [UInt32.max, 1, 1, 2, 0])
    }

    @Test func aMarginalExplainedByAnInteractionIsFoldedUnderIt() throws {
        // 2% everywhere but light-usage healthcare (6%): both marginals carry the interaction.
        let industry = HotspotDimension(name: "industry", labels: [nil, "healthcare", "retail"])
        let usage = HotspotDimension(name: "usage_pattern", labels: [nil, "light", "steady"])
        var cells: [HotspotCell] = []
        for i in UInt32(1)...2 {
            for u in UInt32(1)...2 {
                cells.append(HotspotCell(key: [i, u], moments: Fixtures.proportion(rows: 10000, events: i == 1 && u == 1 ? 600 : 200)))
            }
        }
        let input = HotspotInput(dimensions: [industry, usage], cells: cells, measure: Fixtures.churn)
        let unfolded = try HotspotSearch(input: input, options: HotspotOptions(foldsRelatives: false)).run()
        #expect(unfolded.findings.map(\.conditionText)
                    == ["industry = healthcare", "usage_pattern = light", "industry = healthcare, usage_pattern = light"])
        let result = try HotspotSearch(input: input).run()
        #expect(result.findings.map(\.conditionText) == ["industry = healthcare, usage_pattern = light"])
        let cause = try #require(result.findings.first)
        #expect(cause.alsoText == "industry = healthcare; usage_pattern = light")
        #expect(cause.reading.hasSuffix("; impact +66.67 churned accounts; also: industry = healthcare; usage_pattern = light"))
        #expect(cause.relatives == [[HotspotCondition(dimension: 0, code: 1)], [HotspotCondition(dimension: 1, code: 1)]])
        #expect(result.statistics.folded == 2)
        #expect(result.statistics.qualified == 1)
        #expect(result.statistics.explanation.contains("folded into a cause: 2"))
    }

    @Test func anInteractionAtAParentLevelFoldsItsChildren() throws {
        // region > country, and channel: online churns 6% in apac (JP and AU alike), 2% elsewhere.
        let region = HotspotDimension(name: "region", labels: [nil, "apac", "emea"])
        let country = HotspotDimension(name: "country", labels: [nil, "JP", "AU", "DE", "FR"], hierarchyParent: 0)
        let channel = HotspotDimension(name: "channel", labels: [nil, "online", "reseller"])
        var cells: [HotspotCell] = []
        for c in UInt32(1)...4 {
            for ch in UInt32(1)...2 {
                let events: Double = c <= 2 && ch == 1 ? 1200 : 400
                cells.append(HotspotCell(key: [c <= 2 ? 1 : 2, c, ch], moments: Fixtures.proportion(rows: 20000, events: events)))
            }
        }
        let input = HotspotInput(dimensions: [region, country, channel], cells: cells, measure: Fixtures.churn)
        let unfolded = try HotspotSearch(input: input, options: HotspotOptions(foldsRelatives: false)).run()
        #expect(unfolded.finding("country = JP, channel = online") != nil)
        #expect(unfolded.finding("country = JP") == nil)
        let result = try HotspotSearch(input: input).run()
        #expect(result.findings.map(\.conditionText) == ["region = apac, channel = online"])
        #expect(result.findings.first?.alsoText == "region = apac; channel = online; country = JP, AU")
    }

    /// campaign × segment × plan: display ads churn twice as often among smb accounts (4%
    /// against 2% everywhere else), and plans follow segments (smb mostly starter, enterprise
    /// mostly pro), so display's starter accounts churn above what campaign and plan predict too.
    @Test func anInteractionSeenThroughACorrelatedDimensionIsFoldedUnderIt() throws {
        let campaign = HotspotDimension(name: "campaign", labels: [nil, "display", "search"])
        let segment = HotspotDimension(name: "segment", labels: [nil, "smb", "enterprise"])
        let plan = HotspotDimension(name: "plan", labels: [nil, "starter", "pro"])
        var cells: [HotspotCell] = []
        for c in 1...2 {
            for s in 1...2 {
                for p in 1...2 {
                    let rows = s == p ? 400_000.0 : 100_000.0
                    let rate = c == 1 && s == 1 ? 0.04 : 0.02
                    cells.append(HotspotCell(key: [UInt32(c), UInt32(s), UInt32(p)],
                                             moments: Fixtures.proportion(rows: rows, events: rows * rate)))
                }
            }
        }
        let input = HotspotInput(dimensions: [campaign, segment, plan], cells: cells, measure: Fixtures.churn)
        let unfolded = try HotspotSearch(input: input, options: HotspotOptions(minimumSupport: 0, foldsRelatives: false)).run()
        #expect(unfolded.finding("campaign = display, plan = starter") != nil)
        let folded = try HotspotSearch(input: input, options: HotspotOptions(minimumSupport: 0)).run()
        #expect(folded.finding("campaign = display, plan = starter") == nil)
        let cause = try #require(folded.finding("campaign = display, segment = smb"))
        #expect(cause.alsoText?.contains("(campaign = display, plan = starter)") == true, "\(cause.alsoText ?? "")")
    }
}
