import ChurnModel

/// DESCRIBE: the cube's dimensions, levels, hierarchies, facts, measures and rules as a table, shown
/// whole, counts with thousands separators.
enum CubeDescription {
    static func result(for catalog: CubeCatalog) -> QueryResult {
        let definition = catalog.cube.definition
        let store = catalog.cube.store
        var rows: [[ResultValue]] = []
        func add(_ kind: String, _ name: String, _ detail: String, _ format: String, _ description: String) {
            rows.append([.text(kind), .text(name), .text(detail), .text(format), .text(description)])
        }
        if let connection = catalog.connection {
            add("source", connection.table, connection.location, "", "the facts' table; aggregations run there")
        }
        for dimension in definition.dimensions {
            let cardinality = store.column(named: dimension.name)?.cardinality ?? 0
            add("dimension", dimension.name, "\(dimension.kind.rawValue), \(Self.count(cardinality, "value"))", "", dimension.description)
        }
        for level in definition.levels {
            let count = catalog.attribute(named: level.name).map { $0.dictionary.cardinality } ?? 0
            add("level", level.name, "\(level.function.rawValue) of \(level.source), \(Self.count(count, "value"))", "", "")
        }
        for hierarchy in definition.hierarchies {
            add("hierarchy", hierarchy.name, hierarchy.levels.joined(separator: " > "), "", "")
        }
        for fact in definition.facts {
            add("fact", fact.name, fact.kind.rawValue, "", "")
        }
        for measure in definition.measures {
            var additivity: String
            switch measure.additivity {
            case .additive: additivity = "additive"
            case .nonAdditive: additivity = "non-additive"
            case let .semiAdditive(over): additivity = "semi-additive over \(over) (last value)"
            }
            add("measure", measure.name, measure.formula, measure.format.rawValue,
                measure.description.isEmpty ? additivity : "\(measure.description); \(additivity)")
        }
        for rule in definition.rules {
            add("rule", rule.name, rule.condition, "", rule.says)
        }
        let columns = ["kind", "name", "definition", "format", "description"].map {
            ResultColumn(name: $0, role: .dimension, format: .text)
        }
        return QueryResult(columns: columns, rows: rows,
                           text: "cube \(definition.name): \(Self.count(catalog.rowCount, "row")), \(Self.count(store.columns.count, "column"))",
                           presentation: .listing)
    }

    /// `1 row`, `200,000 rows`.
    static func count(_ value: Int, _ noun: String) -> String {
        "\(Thousands.grouped(value)) \(noun)\(value == 1 ? "" : "s")"
    }
}
