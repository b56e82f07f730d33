import ChurnModel

/// `.describe`: a cube's dimensions (with member counts), levels, hierarchies, measures and facts.
enum CubeOverview {
    static func render(_ cube: Cube, rowCount: Int) -> String {
        let definition = cube.definition
        var sections: [String] = []
        var title = "cube \(definition.name): \(NumberText.count(rowCount, "row"))"
        if !definition.description.isEmpty { title += " — \(definition.description)" }
        sections.append(title)

        var dimensions = TextTable(header: ["dimension", "type", "members", "description"], rightAligned: [false, false, true, false])
        for dimension in definition.dimensions {
            let members = cube.store.column(named: dimension.name)?.cardinality.map(NumberText.grouped) ?? ""
            dimensions.add([dimension.name, dimension.kind.rawValue, members, dimension.description])
        }
        sections.append(dimensions.render())

        if !definition.levels.isEmpty {
            var levels = TextTable(header: ["level", "of"], rightAligned: [false, false])
            for level in definition.levels { levels.add([level.name, "\(level.function.rawValue)(\(level.source))"]) }
            sections.append(levels.render())
        }
        if !definition.hierarchies.isEmpty {
            var hierarchies = TextTable(header: ["hierarchy", "levels"], rightAligned: [false, false])
            for hierarchy in definition.hierarchies { hierarchies.add([hierarchy.name, hierarchy.levels.joined(separator: " > ")]) }
            sections.append(hierarchies.render())
        }
        var measures = TextTable(header: ["measure", "format", "formula", "description"], rightAligned: [false, false, false, false])
        for measure in definition.measures {
            measures.add([measure.name, measure.format.rawValue, measure.formula, measure.description])
        }
        sections.append(measures.render())
        var facts = TextTable(header: ["fact", "kind"], rightAligned: [false, false])
        for fact in definition.facts { facts.add([fact.name, fact.kind.rawValue]) }
        sections.append(facts.render())
        return sections.joined(separator: "\n\n")
    }
}
