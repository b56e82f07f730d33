/// The order of the generated rows.
package enum RowOrder: String, CaseIterable, Sendable {
    /// Grouped by account, periods ascending within each account.
    case account
    /// By period, then by account.
    case period
}
