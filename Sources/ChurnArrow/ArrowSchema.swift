/// The columns every record batch of a stream carries, in order.
package struct ArrowSchema: Equatable, Sendable {
    package var fields: [ArrowField]

    package init(fields: [ArrowField]) {
        self.fields = fields
    }
}
