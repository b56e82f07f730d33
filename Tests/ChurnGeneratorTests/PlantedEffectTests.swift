import Testing
@testable import ChurnGenerator

@Suite struct PlantedEffectTests {
    static let rowCount = 300_000

    /// Churn rate of US reseller rows over that of reseller rows elsewhere: country has no main
    /// effect, so only the planted interaction can move this ratio away from 1.
    static func usResellerChurnRatio(effects: Bool) -> (ratio: Double, overall: Double) {
        let table = FactTable.generate(rows: rowCount, seed: 42, effects: effects)
        let country = table.column("country")
        let channel = table.column("channel")
        let churned = table.column("churned")
        var cell = (rows: 0, churned: 0)
        var rest = (rows: 0, churned: 0)
        var allChurned = 0
        for row in table.rows {
            let didChurn = row[churned] == "1" ? 1 : 0
            allChurned += didChurn
            guard row[channel] == "reseller" else { continue }
            if row[country] == "US" {
                cell.rows += 1
                cell.churned += didChurn
            } else {
                rest.rows += 1
                rest.churned += didChurn
            }
        }
        let cellRate = Double(cell.churned) / Double(cell.rows)
        let restRate = Double(rest.churned) / Double(rest.rows)
        return (cellRate / restRate, Double(allChurned) / Double(table.rows.count))
    }

    @Test func usResellerChurnStandsOutWithEffects() {
        let (ratio, overall) = Self.usResellerChurnRatio(effects: true)
        #expect(ratio > 1.35)
        #expect(overall > 0.014 && overall < 0.020)
    }

    @Test func nullDataSetShowsNoUSResellerGap() {
        let (ratio, overall) = Self.usResellerChurnRatio(effects: false)
        #expect(ratio > 0.85 && ratio < 1.15)
        #expect(overall > 0.015 && overall < 0.019)
    }

    @Test func hazardMultipliersCompose() {
        let factor = PlantedEffects.accountHazardFactor(
            channel: .reseller, campaign: .valueAddedReseller, segment: .smb, industry: .healthcare,
            country: .us, usage: .light)
        let expected =
            PlantedEffects.resellerChannel * PlantedEffects.smbSegment * PlantedEffects.lightUsage
            * PlantedEffects.usReseller * PlantedEffects.healthcareLightUsage
        #expect(abs(factor - expected) < 1e-12)
        let plain = PlantedEffects.accountHazardFactor(
            channel: .online, campaign: .search, segment: .enterprise, industry: .software, country: .de,
            usage: .steady)
        #expect(plain == 1)
    }

    /// (search in apac / search elsewhere) over (the other online campaigns in apac / elsewhere):
    /// the interaction ratio of campaign = search and region = apac, 1 without an interaction.
    static func searchAPACRatio(_ table: FactTable) -> Double {
        let campaign = table.column("campaign"), channel = table.column("channel")
        let region = table.column("region"), churned = table.column("churned")
        var counts: [[(rows: Int, churned: Int)]] = [[(0, 0), (0, 0)], [(0, 0), (0, 0)]]
        for row in table.rows where row[channel] == "online" {
            let search = row[campaign] == "search" ? 1 : 0
            let apac = row[region] == "apac" ? 1 : 0
            counts[search][apac].rows += 1
            counts[search][apac].churned += row[churned] == "1" ? 1 : 0
        }
        func rate(_ search: Int, _ apac: Int) -> Double {
            Double(counts[search][apac].churned) / Double(counts[search][apac].rows)
        }
        return (rate(1, 1) / rate(1, 0)) / (rate(0, 1) / rate(0, 0))
    }

    @Test func campaignRegionInteractionIsPlantedOnlyWhenAsked() {
        let planted = FactTable.generate(rows: Self.rowCount, campaignRegion: true)
        let plain = FactTable.generate(rows: Self.rowCount)
        #expect(Self.searchAPACRatio(planted) > 1.5)
        let ratio = Self.searchAPACRatio(plain)
        #expect(ratio > 0.7 && ratio < 1.4)
        // Only search accounts in apac live differently: every other account's rows are the same
        // (the last account of each run is cut short, so it is left out).
        let account = plain.column("account_id"), campaign = plain.column("campaign"), region = plain.column("region")
        func histories(_ table: FactTable) -> [Substring: [[Substring]]] {
            var byAccount: [Substring: [[Substring]]] = [:]
            for row in table.rows { byAccount[row[account], default: []].append(row) }
            return byAccount
        }
        let (left, right) = (histories(plain), histories(planted))
        let last = [plain.rows.last![account], planted.rows.last![account]]
        var compared = 0
        for (id, rows) in left where !last.contains(id) && !(rows[0][campaign] == "search" && rows[0][region] == "apac") {
            guard let other = right[id] else { continue }
            #expect(other == rows, "account \(id)")
            compared += 1
        }
        #expect(compared > 10_000)
        // Where the account is not in the cell, the multiplier is the usual one.
        #expect(PlantedEffects.accountHazardFactor(channel: .online, campaign: .search, segment: .enterprise, industry: .software,
                                                   country: .jp, usage: .steady, campaignRegion: true) == PlantedEffects.searchAPAC)
        #expect(PlantedEffects.accountHazardFactor(channel: .online, campaign: .search, segment: .enterprise, industry: .software,
                                                   country: .de, usage: .steady, campaignRegion: true) == 1)
    }
}
