/// The opening-MRR boundaries of tier1 and tier2, found by ranking a large sample of accounts.
///
/// Tier is derived from the account's MRR rank in the population: tier1 holds the top accounts
/// up to `PopulationMix.tier1RevenueShare` of revenue, tier2 the next ones up to
/// `tier2RevenueShare`. The sample uses a fixed seed, so the boundaries are constants of the
/// population and the same for every run seed.
struct TierThresholds: Sendable {
    /// Accounts with at least this opening MRR are tier1.
    let tier1MinimumCents: Int
    /// Accounts with at least this opening MRR (and below tier1's) are tier2.
    let tier2MinimumCents: Int

    static let population = TierThresholds(sampleSize: 100_000, seed: 0x7469_6572)

    init(sampleSize: Int, seed: UInt64) {
        var revenues: [Int] = []
        revenues.reserveCapacity(sampleSize)
        for index in 0..<sampleSize {
            var random = Xoshiro256StarStar(seed: seed, stream: UInt64(index))
            revenues.append(AccountProfile(number: index + 1, random: &random).openingMRRCents)
        }
        revenues.sort(by: >)
        let total = revenues.reduce(0, +)
        var running = 0
        var tier1 = revenues[0]
        var tier2 = revenues[0]
        for revenue in revenues {
            if Double(running) < Double(total) * PopulationMix.tier1RevenueShare { tier1 = revenue }
            if Double(running) < Double(total) * PopulationMix.tier2RevenueShare { tier2 = revenue }
            running += revenue
        }
        tier1MinimumCents = tier1
        tier2MinimumCents = tier2
    }

    func tier(openingMRRCents: Int) -> Tier {
        if openingMRRCents >= tier1MinimumCents { return .tier1 }
        if openingMRRCents >= tier2MinimumCents { return .tier2 }
        return .tier3
    }
}
