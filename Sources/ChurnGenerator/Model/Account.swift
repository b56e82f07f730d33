/// One account's life, simulated a month at a time from its own random stream.
///
/// Rows depend only on the run seed and the account number, never on what else is simulated,
/// so accounts can be stepped one after another (account order) or side by side (period order)
/// with identical results.
struct Account {
    private(set) var profile: AccountProfile
    private var random: Xoshiro256StarStar
    /// The month the next row describes.
    private var month: Int
    private var mrrCents: Int
    private var health: Health
    private var daysSinceExecContact: Int?
    private var daysSinceUserContact: Int?
    private var isFirstRow = true
    /// The planted multipliers of the account's lifelong attributes (used only with effects).
    private let hazardFactor: Double
    private let downsellFactor: Double
    /// Rows still allowed before the history is cut off (the run's last account is truncated).
    var rowLimit = Int.max
    private(set) var isFinished = false

    init(number: Int, seed: UInt64, tiers: TierThresholds, campaignRegion: Bool = false) {
        random = Xoshiro256StarStar(seed: seed, stream: UInt64(number))
        profile = AccountProfile(number: number, random: &random)
        profile.tier = tiers.tier(openingMRRCents: profile.openingMRRCents)
        hazardFactor = PlantedEffects.accountHazardFactor(
            channel: profile.channel, campaign: profile.campaign, segment: profile.segment,
            industry: profile.industry, country: profile.country, usage: profile.usage, campaignRegion: campaignRegion)
        downsellFactor = PlantedEffects.downsellFactor(region: profile.region, plan: profile.plan)
        month = max(profile.signupMonth, FactCalendar.windowStart)
        mrrCents = profile.openingMRRCents
        health = PopulationMix.health(for: profile.usage).sample(&random)

        let isNew = profile.signupMonth >= FactCalendar.windowStart
        let execDays = isNew ? random.below(28) : random.below(366)
        let userDays = isNew ? random.below(28) : random.below(91)
        daysSinceExecContact = profile.hasExecutiveSponsor ? execDays : nil
        daysSinceUserContact = profile.hasUserContact ? userDays : nil
    }

    /// The month the next row describes; meaningful while the account is not finished.
    var nextMonth: Int { month }

    /// Simulates the next month and returns its row, or nil once the account has churned,
    /// reached the end of the window or its row limit.
    mutating func nextRow(plantedEffects: Bool, plantedShift: Bool = false) -> FactRow? {
        guard !isFinished, rowLimit > 0 else {
            isFinished = true
            return nil
        }
        // A fixed number of draws per month keeps the streams of both modes in step.
        let healthStays = random.unit()
        let healthDraw = random.unit()
        let churnDraw = random.unit()
        let movementDraw = random.unit()
        let movementSize = random.unit()
        let utilizationDraw = random.unit()
        let loginDraw = random.unit()
        let featureDraw = random.unit()
        let ticketDraw = random.unit()
        let npsAsked = random.unit()
        let npsDraw = random.unit()
        let execDraw = random.unit()
        let userDraw = random.unit()

        if !isFirstRow {
            if healthStays >= PopulationMix.healthPersistence {
                health = PopulationMix.health(for: profile.usage).value(at: healthDraw)
            }
            let elapsedDays = FactCalendar.dayCount(month - 1)
            if let days = daysSinceExecContact {
                daysSinceExecContact = Self.daysSinceContact(
                    days, elapsed: elapsedDays, draw: execDraw,
                    probability: PopulationMix.executiveContactProbability(profile.segment))
            }
            if let days = daysSinceUserContact {
                daysSinceUserContact = Self.daysSinceContact(
                    days, elapsed: elapsedDays, draw: userDraw, probability: PopulationMix.userContactProbability)
            }
        }
        isFirstRow = false

        var row = FactRow()
        row.month = month
        row.health = health
        row.mrrStartCents = mrrCents
        let tenure = month - profile.signupMonth
        row.renewalDue = tenure > 0 && tenure % 12 == 0

        let hazard =
            plantedEffects
            ? min(
                PlantedEffects.baseHazard * hazardFactor
                    * PlantedEffects.monthHazardFactor(health: health, renewalDue: row.renewalDue),
                PlantedEffects.maximumHazard)
            : PlantedEffects.nullHazard
        let shifted = plantedShift && PlantedEffects.isShifted(segment: profile.segment, region: profile.region, month: month)
        if churnDraw < (shifted ? min(hazard * PlantedEffects.shiftFactor, PlantedEffects.maximumHazard) : hazard) {
            row.churned = true
            row.cancelled = !row.renewalDue
            row.churnedCents = mrrCents
        } else {
            row.renewed = row.renewalDue
            applyMovement(
                to: &row, draw: movementDraw, size: movementSize,
                downsellFactor: plantedEffects ? downsellFactor : 1)
        }
        row.mrrEndCents = row.mrrStartCents - row.churnedCents - row.downsellCents + row.upsellCents + row.crosssellCents

        fillUsage(
            of: &row, utilizationDraw: utilizationDraw, loginDraw: loginDraw,
            featureDraw: featureDraw, ticketDraw: ticketDraw)
        row.nps = npsAsked < PopulationMix.npsResponseRate ? PopulationMix.nps(for: health).value(at: npsDraw) : nil
        row.daysSinceExecContact = daysSinceExecContact
        row.daysSinceUserContact = daysSinceUserContact

        mrrCents = row.mrrEndCents
        month += 1
        rowLimit -= 1
        if row.churned || month == FactCalendar.windowEnd || rowLimit == 0 {
            isFinished = true
        }
        return row
    }

    /// A contact this month (draw below probability) lands on a uniform day of it; otherwise the
    /// count goes on.
    private static func daysSinceContact(_ days: Int, elapsed: Int, draw: Double, probability: Double) -> Int {
        draw < probability ? min(27, Int(draw / probability * 28)) : days + elapsed
    }

    // MARK: - Revenue movements

    private func applyMovement(to row: inout FactRow, draw: Double, size: Double, downsellFactor: Double) {
        let downsellProbability = PlantedEffects.baseDownsellProbability * downsellFactor
        let upsellLimit = downsellProbability + PopulationMix.upsellProbability
        let crosssellLimit = upsellLimit + PopulationMix.crosssellProbability
        let mrr = Double(mrrCents)
        if draw < downsellProbability {
            guard mrrCents >= 2 else { return }
            let amount = Int(mrr * Self.scale(size, into: PopulationMix.downsellFraction))
            row.downsellCents = min(max(amount, 1), mrrCents - 1)
        } else if draw < upsellLimit {
            row.upsellCents = max(1, Int(mrr * Self.scale(size, into: PopulationMix.upsellFraction)))
        } else if draw < crosssellLimit {
            row.crosssellCents = max(1, Int(mrr * Self.scale(size, into: PopulationMix.crosssellFraction)))
        }
    }

    private static func scale(_ unit: Double, into range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit
    }

    // MARK: - Usage

    private func fillUsage(
        of row: inout FactRow, utilizationDraw: Double, loginDraw: Double, featureDraw: Double, ticketDraw: Double
    ) {
        let usage = profile.usage
        let licensed = min(
            max(1, row.mrrStartCents / PopulationMix.seatPriceCents(profile.plan)), PopulationMix.maximumSeats)
        let utilization =
            (PopulationMix.seatUtilization(usage) + (utilizationDraw - 0.5) * 0.2)
            * PopulationMix.healthUtilization(health)
        let active = min(licensed, max(0, Int(Double(licensed) * utilization)))
        row.seatsLicensed = licensed
        row.seatsActive = active
        row.logins = Int(Double(active) * PopulationMix.loginsPerActiveSeat(usage) * (0.7 + 0.6 * loginDraw))

        let features = PopulationMix.featureCount(profile.plan)
        row.featuresUsed =
            active == 0
            ? 0 : min(features, max(1, Int(Double(features) * PopulationMix.featureBreadth(usage) * (0.6 + 0.8 * featureDraw))))

        let ticketMean = min(
            (PopulationMix.ticketBase + PopulationMix.ticketsPerRootSeat * Double(licensed).squareRoot())
                * PopulationMix.ticketFactor(health),
            PopulationMix.ticketMeanCap)
        row.supportTickets = Self.poisson(mean: ticketMean, unit: ticketDraw)
    }

    /// Poisson by inversion of the cumulative distribution.
    private static func poisson(mean: Double, unit: Double) -> Int {
        var probability = DeterministicMath.exp(-mean)
        var cumulative = probability
        var count = 0
        while unit >= cumulative && count < 200 {
            count += 1
            probability *= mean / Double(count)
            cumulative += probability
        }
        return count
    }
}
