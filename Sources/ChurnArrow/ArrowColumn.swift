/// One column of a record batch: its field, its values and which rows are null.
///
/// A class, so that reading a cell passes one reference rather than copying the field and the
/// arrays (a retain each) for every value read.
package final class ArrowColumn: Sendable {
    package let field: ArrowField
    package let values: ArrowValues
    /// `validity[row]` is false where the row is null; nil when no row is null.
    /// Also nil for `.nulls` columns, which store nothing: `isNull` answers true for them.
    package let validity: [Bool]?

    package init(field: ArrowField, values: ArrowValues, validity: [Bool]?) {
        self.field = field
        self.values = values
        self.validity = validity
    }

    package func isNull(_ row: Int) -> Bool {
        if case .nulls = values { return true }
        guard let validity else { return false }
        return !validity[row]
    }
}
