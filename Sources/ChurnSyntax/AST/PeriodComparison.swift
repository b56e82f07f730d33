/// `COMPARE condition TO condition` after a SELECT's GROUP BY: each group's measures on the rows
/// of the first condition (before) and of the second (after), with the change and its test.
package struct PeriodComparison: Hashable, Sendable {
    package var before: Expression
    package var after: Expression

    package init(before: Expression, after: Expression) {
        self.before = before
        self.after = after
    }
}
