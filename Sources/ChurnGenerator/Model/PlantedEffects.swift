/// Every planted effect in one place: multipliers on the monthly logo-churn hazard and on the
/// downsell probability, main effects and interactions that their parts do not explain.
///
/// Without planted effects (`GeneratorOptions.plantedEffects == false`) the hazard is the constant
/// `nullHazard` and the downsell probability `baseDownsellProbability` for every account-month.
enum PlantedEffects {
    // MARK: - Logo churn

    /// Monthly hazard before multipliers, chosen so the realized logo churn is about 1.7%.
    static let baseHazard = 0.0067
    /// The monthly hazard of every account-month in the null data set.
    static let nullHazard = 0.017
    /// No account-month churns with a higher probability than this.
    static let maximumHazard = 0.9

    static let resellerChannel = 1.3
    static let smbSegment = 1.4
    static let dormantUsage = 3.0
    static let lightUsage = 1.8
    static let yellowHealth = 1.3
    static let redHealth = 2.5
    /// Annual contracts are mostly ended at renewal, not mid-term.
    static let renewalMonth = 2.0

    /// country = US AND channel = reseller.
    static let usReseller = 1.6
    /// industry = healthcare AND usage_pattern = light.
    static let healthcareLightUsage = 2.0
    /// campaign = display AND segment = smb.
    static let displaySMB = 1.8
    /// campaign = search AND region = apac, planted only with `GeneratorOptions.campaignRegionInteraction`.
    static let searchAPAC = 2.0

    /// The multiplier of the attributes an account keeps for life.
    static func accountHazardFactor(
        channel: Channel, campaign: Campaign, segment: Segment, industry: Industry,
        country: Country, usage: UsagePattern, campaignRegion: Bool = false
    ) -> Double {
        var factor = 1.0
        if channel == .reseller { factor *= resellerChannel }
        if segment == .smb { factor *= smbSegment }
        switch usage {
        case .dormant: factor *= dormantUsage
        case .light: factor *= lightUsage
        case .powerConcentrated, .widespread, .steady: break
        }
        if country == .us && channel == .reseller { factor *= usReseller }
        if industry == .healthcare && usage == .light { factor *= healthcareLightUsage }
        if campaign == .display && segment == .smb { factor *= displaySMB }
        if campaignRegion && campaign == .search && country.region == .apac { factor *= searchAPAC }
        return factor
    }

    /// The multiplier of the month: health and whether the renewal falls due.
    static func monthHazardFactor(health: Health, renewalDue: Bool) -> Double {
        let healthFactor =
            switch health {
            case .green: 1.0
            case .yellow: yellowHealth
            case .red: redHealth
            }
        return renewalDue ? healthFactor * renewalMonth : healthFactor
    }

    // MARK: - A change over time

    /// With `GeneratorOptions.plantedShift`: from 2025-07 on, logo churn of segment = mid_market
    /// AND region = emea is this many times what it was (a combination without other effects).
    static let shiftFactor = 3.0
    static let shiftMonth = FactCalendar.windowEnd - 6

    static func isShifted(segment: Segment, region: Region, month: Int) -> Bool {
        month >= shiftMonth && segment == .midMarket && region == .emea
    }

    // MARK: - Downsell

    /// Monthly probability of a downsell, everywhere in the null data set.
    static let baseDownsellProbability = 0.02
    /// region = latam AND plan = starter: frequent downsell, NRR below 100%.
    static let latamStarterDownsell = 5.0

    static func downsellFactor(region: Region, plan: Plan) -> Double {
        region == .latam && plan == .starter ? latamStarterDownsell : 1.0
    }
}
