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
}
