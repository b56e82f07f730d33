/// One column of a schema: its name, type and whether it may hold nulls.
package struct ArrowField: Equatable, Sendable {
    package var name: String
    package var type: ArrowType
    package var nullable: Bool

    package init(name: String, type: ArrowType, nullable: Bool) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}
