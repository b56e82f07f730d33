/// The attributes an account keeps for life: its dimensions, signup month and opening MRR.
struct AccountProfile: Sendable {
    /// 1-based; written as `A0000001`.
    let number: Int
    /// Month of signup, counted from 2020-01 (see `FactCalendar`).
    let signupMonth: Int
    let segment: Segment
    let channel: Channel
    let campaign: Campaign
    let industry: Industry
    let region: Region
    let country: Country
    let plan: Plan
    let usage: UsagePattern
    let openingMRRCents: Int
    let hasExecutiveSponsor: Bool
    let hasUserContact: Bool
    /// Set once the population's tier thresholds are known.
    var tier: Tier = .tier3

    /// Draws a profile; consumes a fixed number of values from `random`.
    init(number: Int, random: inout Xoshiro256StarStar) {
        self.number = number
        if random.chance(PopulationMix.legacyAccountShare) {
            signupMonth = random.below(FactCalendar.windowStart)
        } else {
            signupMonth = FactCalendar.windowStart + random.below(FactCalendar.periodCount)
        }
        segment = PopulationMix.segment.sample(&random)
        channel = PopulationMix.channel(for: segment).sample(&random)
        campaign = PopulationMix.campaign(for: channel).sample(&random)
        industry = PopulationMix.industry.sample(&random)
        region = PopulationMix.region.sample(&random)
        country = PopulationMix.country(for: region).sample(&random)
        plan = PopulationMix.plan(for: segment).sample(&random)
        usage = PopulationMix.usagePattern.sample(&random)

        // Pareto by inversion: x = (1 - u)^(-1 / alpha), with 1 - u in (0, 1].
        let paretoDraw = DeterministicMath.exp(-DeterministicMath.log(1 - random.unit()) / PopulationMix.paretoShape)
        let multiplier = min(paretoDraw, PopulationMix.paretoCap) * PopulationMix.segmentScale(segment)
        let listPrice = Double(PopulationMix.listPriceCents(plan))
        // Prices are whole dollars.
        openingMRRCents = max(100, Int(listPrice * multiplier / 100) * 100)

        hasExecutiveSponsor = !random.chance(PopulationMix.noExecutiveSponsor(segment))
        hasUserContact = !random.chance(PopulationMix.noUserContact)
    }
}
