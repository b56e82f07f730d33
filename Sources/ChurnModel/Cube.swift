import ChurnStorage

/// A loaded cube: its definition and the column store holding its facts.
package final class Cube: Sendable {
    package let definition: CubeDefinition
    package let store: ColumnStore

    package init(definition: CubeDefinition, store: ColumnStore) {
        self.definition = definition
        self.store = store
    }

    package var name: String { definition.name }
}
