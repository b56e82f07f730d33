import Testing
@testable import ChurnGenerator

@Suite struct InvariantTests {
    static let table = FactTable.generate(rows: 60_000, seed: 3)

    private var table: FactTable { Self.table }

    @Test func moneyHasTwoDecimalsAndMRREndFollowsTheMovements() throws {
        let columns = ["mrr_start", "mrr_end", "churned_mrr", "downsell_mrr", "upsell_mrr", "crosssell_mrr"].map(table.column)
        for row in table.rows {
            let money = try columns.map { try #require(FactTable.cents(row[$0]), "bad money in \(row)") }
            #expect(money[1] == money[0] - money[2] - money[3] + money[4] + money[5])
            #expect(money.allSatisfy { $0 >= 0 })
        }
    }

    @Test func churnedRowsEndTheirAccountWithZeroMRR() {
        let id = table.column("account_id")
        let churned = table.column("churned")
        let mrrStart = table.column("mrr_start")
        let mrrEnd = table.column("mrr_end")
        let churnedMRR = table.column("churned_mrr")
        var churnCount = 0
        for (index, row) in table.rows.enumerated() where row[churned] == "1" {
            churnCount += 1
            #expect(row[mrrEnd] == "0.00")
            #expect(row[churnedMRR] == row[mrrStart])
            if index + 1 < table.rows.count {
                #expect(table.rows[index + 1][id] != row[id], "a churned account has a later row")
            }
        }
        #expect(churnCount > 100)
    }

    @Test func accountsContinueMonthToMonth() {
        let id = table.column("account_id")
        let period = table.column("period")
        let mrrStart = table.column("mrr_start")
        let mrrEnd = table.column("mrr_end")
        for (previous, row) in zip(table.rows, table.rows.dropFirst()) where previous[id] == row[id] {
            #expect(row[mrrStart] == previous[mrrEnd])
            #expect(Self.monthNumber(row[period]) == Self.monthNumber(previous[period]) + 1)
        }
    }

    @Test func flagsAreConsistent() {
        let churned = table.column("churned")
        let cancelled = table.column("cancelled")
        let due = table.column("renewal_due")
        let renewed = table.column("renewed")
        var renewals = 0
        var cancellations = 0
        for row in table.rows {
            #expect([churned, cancelled, due, renewed].allSatisfy { row[$0] == "0" || row[$0] == "1" })
            if row[renewed] == "1" {
                renewals += 1
                #expect(row[due] == "1")
                #expect(row[churned] == "0")
            }
            if row[cancelled] == "1" {
                cancellations += 1
                #expect(row[churned] == "1")
                #expect(row[due] == "0")
            }
            if row[due] == "1" && row[churned] == "0" { #expect(row[renewed] == "1") }
        }
        #expect(renewals > 100)
        #expect(cancellations > 100)
    }

    @Test func renewalsFallDueOnSignupAnniversaries() {
        let cohort = table.column("cohort")
        let period = table.column("period")
        let due = table.column("renewal_due")
        let id = table.column("account_id")
        // Renewals of one account are 12 months apart, and never in its first 12 months.
        var lastRenewal: [Substring: Int] = [:]
        for row in table.rows where row[due] == "1" {
            let month = Self.monthNumber(row[period])
            if let last = lastRenewal[row[id]] { #expect(month - last == 12) }
            lastRenewal[row[id]] = month
            let cohortYear = Int(row[cohort].prefix(4))!
            let cohortQuarter = Int(row[cohort].suffix(1))!
            #expect(month - (cohortYear * 12 + (cohortQuarter - 1) * 3) >= 10)
        }
        #expect(!lastRenewal.isEmpty)
    }

    @Test func seatsAndUsageAreSensible() {
        let licensed = table.column("seats_licensed")
        let active = table.column("seats_active")
        let integers = ["logins", "features_used", "support_tickets"].map(table.column)
        for row in table.rows {
            guard let licensedSeats = Int(row[licensed]), let activeSeats = Int(row[active]) else {
                Issue.record("seats not integers in \(row)")
                continue
            }
            #expect(licensedSeats >= 1)
            #expect(activeSeats >= 0 && activeSeats <= licensedSeats)
            #expect(integers.allSatisfy { Int(row[$0]).map { $0 >= 0 } ?? false })
        }
    }

    @Test func childrenBelongToTheirParents() {
        let channelOf = Dictionary(uniqueKeysWithValues: Campaign.allCases.map { ("\($0.label)", "\($0.channel.label)") })
        let regionOf = Dictionary(uniqueKeysWithValues: Country.allCases.map { ("\($0.label)", "\($0.region.label)") })
        let channel = table.column("channel")
        let campaign = table.column("campaign")
        let region = table.column("region")
        let country = table.column("country")
        for row in table.rows {
            #expect(channelOf[String(row[campaign])] == String(row[channel]))
            #expect(regionOf[String(row[country])] == String(row[region]))
        }
        #expect(Set(channelOf.keys).count == Campaign.allCases.count, "campaign labels must be unique")
    }

    @Test func dimensionsUseTheDocumentedFormats() {
        let id = table.column("account_id")
        let period = table.column("period")
        let cohort = table.column("cohort")
        let periods = Set(table.rows.map { $0[period] })
        #expect(periods.min() == "2023-01")
        #expect(periods.max() == "2025-12")
        #expect(periods.count == 36)
        let cohorts = Set(table.rows.map { String($0[cohort]) })
        #expect(cohorts.contains("2020-Q1") && cohorts.contains("2022-Q4") && cohorts.contains("2025-Q4"))
        #expect(table.rows.allSatisfy { $0[id].count == 8 && $0[id].first == "A" && Int($0[id].dropFirst()) != nil })
        #expect(table.rows[0][id] == "A0000001")
    }

    @Test func npsIsMostlyNullAndOtherwiseZeroToTen() {
        let nps = table.column("nps")
        let answers = table.rows.map { $0[nps] }.filter { !$0.isEmpty }
        let nullShare = 1 - Double(answers.count) / Double(table.rows.count)
        #expect(nullShare > 0.8 && nullShare < 0.9)
        #expect(answers.allSatisfy { Int($0).map { (0...10).contains($0) } ?? false })
    }

    @Test func contactDaysAreOccasionallyNull() {
        for name in ["days_since_exec_contact", "days_since_user_contact"] {
            let column = table.column(name)
            let nulls = table.rows.count { $0[column].isEmpty }
            #expect(nulls > 0 && nulls < table.rows.count / 5, "\(name)")
        }
    }

    @Test func tier1IsFewAccountsWithMuchRevenue() {
        let tier = table.column("tier")
        let mrr = table.column("mrr_start")
        var revenue: [Substring: Int] = [:]
        var rows: [Substring: Int] = [:]
        for row in table.rows {
            revenue[row[tier], default: 0] += FactTable.cents(row[mrr]) ?? 0
            rows[row[tier], default: 0] += 1
        }
        let total = Double(revenue.values.reduce(0, +))
        let tier1Revenue = Double(revenue["tier1"] ?? 0) / total
        let tier1Rows = Double(rows["tier1"] ?? 0) / Double(table.rows.count)
        #expect(tier1Revenue > 0.25 && tier1Revenue < 0.55)
        #expect(tier1Rows < 0.05)
    }

    static func monthNumber(_ period: Substring) -> Int {
        Int(period.prefix(4))! * 12 + Int(period.suffix(2))! - 1
    }
}
