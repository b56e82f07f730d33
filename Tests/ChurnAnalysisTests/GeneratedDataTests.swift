import Testing
import ChurnAnalysis

/// End to end on generated facts: the planted effects come out, and nothing comes out of the
/// null data set. Expectations follow Samples/README.md.
@Suite struct GeneratedDataTests {
    /// Planted interactions as (dimension, value) pairs, with the hierarchy levels above the
    /// finer member also standing for it (region = amer carries country = US).
    static let plantedInteractions: [[Set<String>]] = [
        [["country = US", "region = amer"], ["channel = reseller"]],
        [["industry = healthcare"], ["usage_pattern = light"]],
        [["campaign = display", "channel = online"], ["segment = smb"]],
    ]

    /// True when the finding's conditions include both parts of one planted interaction.
    static func carriesPlantedInteraction(_ finding: HotspotFinding) -> Bool {
        let parts = Set(finding.conditionText.components(separatedBy: ", "))
        return plantedInteractions.contains { interaction in
            interaction.allSatisfy { !$0.isDisjoint(with: parts) }
        }
    }

    @Test func plantedChurnEffectsVersusExpected() throws {
        let facts = GeneratedFacts.planted
        let result = try HotspotSearch(input: facts.churnInput).run()
        let mainEffects = result.findings.filter { $0.depth == 1 }.map(\.conditionText)
        #expect(mainEffects.first == "usage_pattern = dormant")
        for planted in ["usage_pattern = dormant", "usage_pattern = light", "segment = smb", "channel = reseller"] {
            #expect(mainEffects.contains(planted))
        }
        let interactions = result.findings.filter { $0.depth > 1 }
        #expect(interactions.first?.conditionText == "channel = reseller, country = US")
        #expect(interactions.prefix(3).contains { $0.conditionText == "industry = healthcare, usage_pattern = light" })
        // Independent main effects combined are no news: every interaction found was planted.
        #expect(!interactions.isEmpty)
        #expect(interactions.allSatisfy(Self.carriesPlantedInteraction))
        #expect(result.finding("segment = smb, usage_pattern = dormant") == nil)
        let top = try #require(interactions.first)
        #expect(top.lift! > 0.1 && top.lift! < 0.5)
        #expect(top.qValue < 0.005)
        #expect(top.reading.contains("vs expected from channel × country"))
        #expect(result.statistics.cuboids == 78)
        // A reseller campaign's US cell folds under its closest relative, US resellers, never
        // under the reseller main effect.
        let us = facts.condition("country", "US")
        #expect(result.finding("channel = reseller")?.relatives.allSatisfy { !$0.contains(us) } ?? true)
        #expect(top.relatives.contains { $0.contains(us) && $0.contains { $0.dimension == facts.condition("campaign", "var").dimension } })
    }

    @Test func campaignRegionInteractionIsFoundWithItsRelativesFolded() throws {
        // --campaign-region: search accounts in apac churn twice as often. The interaction of a
        // child level (campaign) with a parent level (region) is reported once, at that cell.
        let result = try HotspotSearch(input: GeneratedFacts.campaignRegion.churnInput).run()
        let cell = try #require(result.finding("campaign = search, region = apac"))
        #expect(cell.lift.map { $0 > 0.3 } == true)
        #expect(!result.findings.contains { $0.conditionText == "region = apac" || $0.conditionText == "channel = online, region = apac" })
        #expect(!result.findings.contains { $0.conditionText.hasPrefix("campaign = search, country = ") })
        // Without the option the cell is no finding.
        #expect(try HotspotSearch(input: GeneratedFacts.planted.churnInput).run().finding("campaign = search, region = apac") == nil)
    }

    @Test func globalBaselineMistakesCorrelationForInteraction() throws {
        // The contrast that justifies expected baselines: against the global rate, smb dormant
        // accounts look like a hot-spot of their own.
        let result = try HotspotSearch(input: GeneratedFacts.planted.churnInput, options: HotspotOptions(baseline: .global)).run()
        #expect(result.finding("segment = smb, usage_pattern = dormant") != nil)
    }

    @Test func nullDataShowsNoChurnHotspots() throws {
        let result = try HotspotSearch(input: GeneratedFacts.null.churnInput).run()
        #expect(result.findings.count <= 1)
        #expect(result.statistics.tested > 5000)
        let both = try HotspotSearch(input: GeneratedFacts.null.churnInput, options: HotspotOptions(direction: .both)).run()
        #expect(both.findings.count <= 1)
    }

    @Test func plantedDownsellInteractionIsARatioOfSums() throws {
        let result = try HotspotSearch(input: GeneratedFacts.planted.downsellInput).run()
        let interactions = result.findings.filter { $0.depth > 1 }
        #expect(interactions.first?.conditionText == "region = latam, plan = starter")
        #expect(interactions.first.map { $0.value > 0.015 && $0.value < 0.025 } == true)
        // The null data set: heavy-tailed MRR makes the delta method a little optimistic,
        // so allow a stray finding.
        let null = try HotspotSearch(input: GeneratedFacts.null.downsellInput).run()
        #expect(null.findings.count <= 2)
        #expect(null.findings.allSatisfy { $0.conditionText != "region = latam, plan = starter" })
    }

    @Test func drillPathOnGeneratedFacts() throws {
        let facts = GeneratedFacts.planted
        let steps = try facts.churnInput.drillPath([facts.condition("channel", "reseller"), facts.condition("country", "US")])
        #expect(steps.count == 3)
        // US resellers churn well above resellers as a whole.
        #expect(steps[2].change! > 0.15)
        #expect(steps[2].pValue! < 0.001)
        #expect(steps[1].rows > steps[2].rows && steps[0].rows == 300_000)
    }
}
