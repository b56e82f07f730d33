/// Keeps a stored property out of synthesized `==` and `hash(into:)`.
///
/// AST nodes wrap their `SourceRange` in it, so the same query compares equal however it
/// was laid out, and the planner can match `SUM(x)` in HAVING against `SUM(x)` in SELECT.
@propertyWrapper
package struct IgnoredInEquality<Value: Sendable>: Hashable, Sendable {
    package var wrappedValue: Value

    package init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    package static func == (lhs: Self, rhs: Self) -> Bool { true }

    package func hash(into hasher: inout Hasher) {}
}
