/// The measure a hot-spot search judges: how its numerator and denominator arise per row, which
/// direction is worse, and how to show it.
package struct HotspotMeasure: Sendable, Equatable {
    /// How rows contribute: the choice of significance test follows from it.
    package enum Kind: Sendable, Equatable {
        /// Numerator 0 or 1 per row, denominator 1 per row (logo_churn_rate = SUM(churned) / COUNT(*)):
        /// binomial tests.
        case proportion
        /// Any numerator and denominator (revenue_churn_rate, nrr, renewal_rate, seat_utilization):
        /// delta-method tests from the moments.
        case ratioOfSums
    }

    /// How values of the measure are written.
    package enum Format: Sendable, Equatable {
        case percent, number, money
    }

    /// The measure's name in the query, e.g. `logo_churn_rate`.
    package var name: String
    package var kind: Kind
    package var format: Format
    /// What impact counts: "churned accounts", "churned MRR".
    package var impactUnit: String
    /// Impact is an amount of money (the numerator sums money), shown with two decimals.
    package var impactIsMoney: Bool
    /// True for churn-like measures (churn, cancellation, downsell), false for renewal_rate, nrr,
    /// grr, seat_utilization: decides which deviations are hot.
    package var higherIsWorse: Bool
    /// The words used in readings, e.g. "logo churn"; derived from `name` unless given.
    package var title: String

    package init(
        name: String, kind: Kind, format: Format = .percent, impactUnit: String, impactIsMoney: Bool = false,
        higherIsWorse: Bool = true, title: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.format = format
        self.impactUnit = impactUnit
        self.impactIsMoney = impactIsMoney
        self.higherIsWorse = higherIsWorse
        self.title = title ?? Self.title(forName: name)
    }

    /// `logo_churn_rate` -> `logo churn`, `nrr` -> `nrr`.
    static func title(forName name: String) -> String {
        var words = name.split(separator: "_").map(String.init)
        if words.count > 1, words.last == "rate" { words.removeLast() }
        return words.joined(separator: " ")
    }
}
