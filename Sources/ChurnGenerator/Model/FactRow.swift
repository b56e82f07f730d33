/// The measures of one account-month; the account's dimensions live in its `AccountProfile`.
struct FactRow: Equatable, Sendable {
    /// Counted from 2020-01 (see `FactCalendar`).
    var month = 0
    var health = Health.green
    var mrrStartCents = 0
    var mrrEndCents = 0
    var churned = false
    var cancelled = false
    var renewalDue = false
    var renewed = false
    var churnedCents = 0
    var downsellCents = 0
    var upsellCents = 0
    var crosssellCents = 0
    var seatsLicensed = 0
    var seatsActive = 0
    var logins = 0
    var featuresUsed = 0
    var supportTickets = 0
    /// nil is written as an empty field (NULL).
    var nps: Int?
    var daysSinceExecContact: Int?
    var daysSinceUserContact: Int?
}
