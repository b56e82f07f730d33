/// A named early-warning rule of the cube definition (`rules:`): a condition on one
/// account-month, in the WHERE language plus `previous()` and `avg_previous()`, and what it
/// says when it fires. ALERTS lists the accounts rules flag; BACKTEST measures one.
package struct RuleDefinition: Sendable, Equatable {
    package var name: String
    /// The condition as written (`when:`).
    package var condition: String
    /// A sentence for people (`says:`); may be empty.
    package var says: String
    /// Line of the condition in the definition file, for error messages (0 when not from a file).
    package var line: Int

    package init(name: String, condition: String, says: String = "", line: Int = 0) {
        self.name = name
        self.condition = condition
        self.says = says
        self.line = line
    }
}
