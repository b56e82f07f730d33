/// Writes synthetic customer-month facts for the `subscriptions` cube as CSV.
///
/// Accounts are numbered from 1 and each is simulated from its own random stream, so the output
/// depends only on the options. Accounts are generated until exactly `rows` rows are written; the
/// last account's history is cut short. Period order simulates the same accounts side by side,
/// one month at a time, and writes the same rows in a different order.
package struct FactGenerator: Sendable {
    /// The CSV header, in column order.
    package static let columnNames = [
        "account_id", "period", "cohort", "channel", "campaign", "segment", "industry", "region",
        "country", "plan", "tier", "usage_pattern", "health", "mrr_start", "mrr_end", "churned",
        "cancelled", "renewal_due", "renewed", "churned_mrr", "downsell_mrr", "upsell_mrr",
        "crosssell_mrr", "seats_licensed", "seats_active", "logins", "features_used",
        "support_tickets", "nps", "days_since_exec_contact", "days_since_user_contact",
    ]

    /// Size of the block handed to the sink at a time.
    static let bufferCapacity = 1 << 20

    package let options: GeneratorOptions
    private let tiers: TierThresholds

    package init(options: GeneratorOptions) {
        self.options = options
        tiers = TierThresholds.population
    }

    /// Writes the header and the rows to `sink`; `progress` is called with the number of rows
    /// written so far each time a block is handed over, and once at the end.
    package func write(to sink: inout some ByteSink, progress: (_ rowsWritten: Int) -> Void = { _ in }) throws {
        var buffer = OutputBuffer(capacity: Self.bufferCapacity)
        buffer.appendHeader()
        switch options.order {
        case .account: try writeAccountOrder(into: &buffer, sink: &sink, progress: progress)
        case .period: try writePeriodOrder(into: &buffer, sink: &sink, progress: progress)
        }
        try buffer.flush(to: &sink)
        progress(options.rows)
    }

    /// The whole output in memory; for tests and small data sets.
    package func bytes() -> [UInt8] {
        var sink = MemorySink()
        // A memory sink never throws.
        try! write(to: &sink)
        return sink.bytes
    }

    // MARK: - Account order

    private func writeAccountOrder(
        into buffer: inout OutputBuffer, sink: inout some ByteSink, progress: (Int) -> Void
    ) throws {
        var written = 0
        var number = 1
        while written < options.rows {
            var account = Account(number: number, seed: options.seed, tiers: tiers, campaignRegion: options.campaignRegionInteraction)
            account.rowLimit = options.rows - written
            while let row = account.nextRow(plantedEffects: options.plantedEffects, plantedShift: options.plantedShift) {
                if buffer.remaining < OutputBuffer.maximumRowBytes {
                    try buffer.flush(to: &sink)
                    progress(written)
                }
                buffer.append(row, of: account.profile)
                written += 1
            }
            number += 1
        }
    }

    // MARK: - Period order

    /// Counts the accounts account order would use and how many rows the last one gets, then
    /// steps all of them month by month. Memory grows with the number of accounts (about 200
    /// bytes each), not with the number of rows.
    private func writePeriodOrder(
        into buffer: inout OutputBuffer, sink: inout some ByteSink, progress: (Int) -> Void
    ) throws {
        var accountCount = 0
        var lastAccountRows = 0
        var counted = 0
        while counted < options.rows {
            accountCount += 1
            var account = Account(number: accountCount, seed: options.seed, tiers: tiers, campaignRegion: options.campaignRegionInteraction)
            account.rowLimit = options.rows - counted
            lastAccountRows = 0
            while account.nextRow(plantedEffects: options.plantedEffects, plantedShift: options.plantedShift) != nil {
                lastAccountRows += 1
            }
            counted += lastAccountRows
        }

        var accounts: [Account] = []
        accounts.reserveCapacity(accountCount)
        for number in 1...max(accountCount, 1) where number <= accountCount {
            accounts.append(Account(number: number, seed: options.seed, tiers: tiers, campaignRegion: options.campaignRegionInteraction))
        }
        if accountCount > 0 { accounts[accountCount - 1].rowLimit = lastAccountRows }

        var written = 0
        for month in FactCalendar.windowStart..<FactCalendar.windowEnd {
            for index in accounts.indices {
                guard !accounts[index].isFinished, accounts[index].nextMonth == month,
                    let row = accounts[index].nextRow(plantedEffects: options.plantedEffects, plantedShift: options.plantedShift)
                else { continue }
                if buffer.remaining < OutputBuffer.maximumRowBytes {
                    try buffer.flush(to: &sink)
                    progress(written)
                }
                buffer.append(row, of: accounts[index].profile)
                written += 1
            }
        }
    }
}
