/// The shape of the account population: dimension weights, MRR scale and usage volumetrics.
///
/// These are the same with and without planted effects; `PlantedEffects` holds everything that
/// moves churn, cancellation and downsell.
enum PopulationMix {
    // MARK: - Accounts

    /// Share of accounts that signed up before the window (2020-01..2022-12); the rest sign up
    /// uniformly over 2023-01..2025-12. Half and half makes the active population grow by about
    /// a quarter over the three years at 1.7% monthly churn.
    static let legacyAccountShare = 0.5

    static let segment = WeightedTable<Segment>([.smb: 0.60, .midMarket: 0.28, .enterprise: 0.12])

    static func channel(for segment: Segment) -> WeightedTable<Channel> {
        switch segment {
        case .smb: channelSMB
        case .midMarket: channelMidMarket
        case .enterprise: channelEnterprise
        }
    }

    private static let channelSMB = WeightedTable<Channel>(
        [.online: 0.45, .insideSales: 0.22, .reseller: 0.18, .partner: 0.10, .outsideSales: 0.05])
    private static let channelMidMarket = WeightedTable<Channel>(
        [.online: 0.15, .insideSales: 0.35, .reseller: 0.15, .partner: 0.15, .outsideSales: 0.20])
    private static let channelEnterprise = WeightedTable<Channel>(
        [.online: 0.03, .insideSales: 0.15, .reseller: 0.10, .partner: 0.17, .outsideSales: 0.55])

    static func campaign(for channel: Channel) -> WeightedTable<Campaign> {
        switch channel {
        case .outsideSales: campaignOutsideSales
        case .insideSales: campaignInsideSales
        case .reseller: campaignReseller
        case .online: campaignOnline
        case .partner: campaignPartner
        }
    }

    private static let campaignOutsideSales = WeightedTable<Campaign>([.fieldEvent: 0.45, .abm: 0.55])
    private static let campaignInsideSales = WeightedTable<Campaign>([.inbound: 0.60, .outbound: 0.40])
    private static let campaignReseller = WeightedTable<Campaign>(
        [.valueAddedReseller: 0.45, .distributor: 0.35, .marketplace: 0.20])
    private static let campaignOnline = WeightedTable<Campaign>(
        [.email: 0.25, .search: 0.35, .display: 0.20, .organic: 0.20])
    private static let campaignPartner = WeightedTable<Campaign>([.referral: 0.60, .alliance: 0.40])

    static let industry = WeightedTable<Industry>([
        .software: 0.22, .finance: 0.14, .healthcare: 0.13, .retail: 0.12,
        .manufacturing: 0.12, .education: 0.10, .media: 0.08, .publicSector: 0.09,
    ])

    static let region = WeightedTable<Region>([.amer: 0.45, .emea: 0.30, .apac: 0.15, .latam: 0.10])

    static func country(for region: Region) -> WeightedTable<Country> {
        switch region {
        case .amer: countryAmer
        case .emea: countryEmea
        case .apac: countryApac
        case .latam: countryLatam
        }
    }

    private static let countryAmer = WeightedTable<Country>([.us: 0.85, .ca: 0.15])
    private static let countryEmea = WeightedTable<Country>([.gb: 0.30, .de: 0.28, .fr: 0.20, .nl: 0.12, .se: 0.10])
    private static let countryApac = WeightedTable<Country>([.jp: 0.30, .au: 0.30, .india: 0.25, .sg: 0.15])
    private static let countryLatam = WeightedTable<Country>([.br: 0.50, .mx: 0.28, .ar: 0.12, .cl: 0.10])

    static func plan(for segment: Segment) -> WeightedTable<Plan> {
        switch segment {
        case .smb: planSMB
        case .midMarket: planMidMarket
        case .enterprise: planEnterprise
        }
    }

    private static let planSMB = WeightedTable<Plan>(
        [.starter: 0.55, .pro: 0.35, .business: 0.09, .enterprise: 0.01])
    private static let planMidMarket = WeightedTable<Plan>(
        [.starter: 0.15, .pro: 0.40, .business: 0.35, .enterprise: 0.10])
    private static let planEnterprise = WeightedTable<Plan>(
        [.starter: 0.02, .pro: 0.13, .business: 0.35, .enterprise: 0.50])

    static let usagePattern = WeightedTable<UsagePattern>([
        .powerConcentrated: 0.15, .widespread: 0.25, .steady: 0.30, .light: 0.20, .dormant: 0.10,
    ])

    // MARK: - Revenue

    /// List price of a plan in cents per month, before the segment scale and the Pareto draw.
    static func listPriceCents(_ plan: Plan) -> Int {
        switch plan {
        case .starter: 4_900
        case .pro: 24_900
        case .business: 99_000
        case .enterprise: 390_000
        }
    }

    static func segmentScale(_ segment: Segment) -> Double {
        switch segment {
        case .smb: 1.0
        case .midMarket: 2.0
        case .enterprise: 4.0
        }
    }

    /// Pareto shape of the per-account MRR multiplier (minimum 1, mean alpha / (alpha - 1)).
    static let paretoShape = 1.6
    /// Caps the Pareto multiplier so that one account cannot dominate a small data set.
    static let paretoCap = 200.0

    /// Cumulative revenue shares that end tier1 and tier2 when accounts are ranked by MRR.
    static let tier1RevenueShare = 0.40
    static let tier2RevenueShare = 0.80

    /// Monthly probability and size range (fraction of MRR) of upsell and cross-sell; never planted.
    static let upsellProbability = 0.05
    static let upsellFraction = 0.08...0.48
    static let crosssellProbability = 0.025
    static let crosssellFraction = 0.10...0.50
    /// Size range of a downsell as a fraction of MRR; its probability lives in `PlantedEffects`.
    static let downsellFraction = 0.05...0.35

    // MARK: - Health and usage

    /// Chance that last month's health carries over; otherwise it is redrawn from the usage mix.
    static let healthPersistence = 0.75

    static func health(for usage: UsagePattern) -> WeightedTable<Health> {
        switch usage {
        case .powerConcentrated: healthPowerConcentrated
        case .widespread: healthWidespread
        case .steady: healthSteady
        case .light: healthLight
        case .dormant: healthDormant
        }
    }

    private static let healthPowerConcentrated = WeightedTable<Health>([.green: 0.60, .yellow: 0.30, .red: 0.10])
    private static let healthWidespread = WeightedTable<Health>([.green: 0.75, .yellow: 0.20, .red: 0.05])
    private static let healthSteady = WeightedTable<Health>([.green: 0.70, .yellow: 0.24, .red: 0.06])
    private static let healthLight = WeightedTable<Health>([.green: 0.40, .yellow: 0.40, .red: 0.20])
    private static let healthDormant = WeightedTable<Health>([.green: 0.15, .yellow: 0.35, .red: 0.50])

    static func seatPriceCents(_ plan: Plan) -> Int {
        switch plan {
        case .starter: 1_000
        case .pro: 2_500
        case .business: 4_500
        case .enterprise: 7_000
        }
    }

    static let maximumSeats = 100_000

    /// Typical share of licensed seats in use.
    static func seatUtilization(_ usage: UsagePattern) -> Double {
        switch usage {
        case .powerConcentrated: 0.30
        case .widespread: 0.85
        case .steady: 0.62
        case .light: 0.25
        case .dormant: 0.05
        }
    }

    static func healthUtilization(_ health: Health) -> Double {
        switch health {
        case .green: 1.0
        case .yellow: 0.85
        case .red: 0.65
        }
    }

    static func loginsPerActiveSeat(_ usage: UsagePattern) -> Double {
        switch usage {
        case .powerConcentrated: 60
        case .widespread: 22
        case .steady: 18
        case .light: 6
        case .dormant: 2
        }
    }

    static func featureCount(_ plan: Plan) -> Int {
        switch plan {
        case .starter: 12
        case .pro: 25
        case .business: 40
        case .enterprise: 60
        }
    }

    /// Typical share of the plan's features in use.
    static func featureBreadth(_ usage: UsagePattern) -> Double {
        switch usage {
        case .powerConcentrated: 0.55
        case .widespread: 0.70
        case .steady: 0.50
        case .light: 0.25
        case .dormant: 0.08
        }
    }

    /// Support tickets per month: Poisson with mean (base + perRootSeat * sqrt(seats)) * health factor.
    static let ticketBase = 0.15
    static let ticketsPerRootSeat = 0.05
    static let ticketMeanCap = 25.0

    static func ticketFactor(_ health: Health) -> Double {
        switch health {
        case .green: 1.0
        case .yellow: 1.6
        case .red: 2.5
        }
    }

    // MARK: - Surveys and contact

    /// Share of account-months with an NPS answer; the rest are NULL.
    static let npsResponseRate = 0.15

    static func nps(for health: Health) -> WeightedTable<Int> {
        switch health {
        case .green: npsGreen
        case .yellow: npsYellow
        case .red: npsRed
        }
    }

    private static let npsGreen = WeightedTable<Int>(
        [6: 0.05, 7: 0.15, 8: 0.25, 9: 0.30, 10: 0.25])
    private static let npsYellow = WeightedTable<Int>(
        [3: 0.05, 4: 0.10, 5: 0.20, 6: 0.25, 7: 0.25, 8: 0.15])
    private static let npsRed = WeightedTable<Int>(
        [0: 0.10, 1: 0.10, 2: 0.15, 3: 0.20, 4: 0.20, 5: 0.15, 6: 0.10])

    /// Chance that an account has never met an executive (days_since_exec_contact stays NULL until it does).
    static func noExecutiveSponsor(_ segment: Segment) -> Double {
        switch segment {
        case .smb: 0.12
        case .midMarket: 0.04
        case .enterprise: 0.01
        }
    }

    static func executiveContactProbability(_ segment: Segment) -> Double {
        switch segment {
        case .smb: 0.03
        case .midMarket: 0.12
        case .enterprise: 0.35
        }
    }

    /// Chance that an account's users have never been contacted (NULL until the first contact).
    static let noUserContact = 0.03
    static let userContactProbability = 0.40
}
