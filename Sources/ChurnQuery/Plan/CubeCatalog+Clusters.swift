extension CubeCatalog {
    /// The attribute whose values are the cube's customers (the account), whose rows are one
    /// customer's months rather than independent observations: the first text dimension of the
    /// sort key with more than 64 values, else the text dimension with the most values if it
    /// has more than 64. Nil when the cube has none: its rows are taken as independent.
    package var clusterAttribute: GroupAttribute? {
        let definition = cube.definition
        let stored = attributes.filter { attribute in
            attribute.codeMap == nil && definition.dimensions.contains { $0.name == attribute.name && $0.kind == .text }
        }
        let cardinalities = Dictionary(stored.map { ($0.name, $0.dictionary.cardinality) }, uniquingKeysWith: { first, _ in first })
        for name in definition.sortKey.resolved(in: definition, cardinalities: cardinalities) {
            guard let attribute = stored.first(where: { $0.name == name }) else { continue }
            if attribute.dictionary.cardinality > 64 { return attribute }
        }
        let widest = stored.max { $0.dictionary.cardinality < $1.dictionary.cardinality }
        return widest.flatMap { $0.dictionary.cardinality > 64 ? $0 : nil }
    }
}
