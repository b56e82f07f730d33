import Foundation
import Yams

extension CubeDefinition {
    /// Reads and validates a cube definition file.
    package static func load(path: String) throws -> CubeDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CubeDefinitionError(file: path, line: 0, message: "cannot read the cube definition: \(Self.reason(error))")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses and validates a cube definition; errors name `file` and the line.
    package static func parse(yaml: String, file: String) throws -> CubeDefinition {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw CubeDefinitionError(file: file, line: 0, message: "the cube definition is empty")
            }
            root = node
        } catch let error as CubeDefinitionError {
            throw error
        } catch let error as YamlError {
            throw yamlSyntaxError(error, file: file)
        }
        var reader = DefinitionReader(file: file)
        var definition = try reader.readCube(root)
        definition.declarationLines = reader.lines
        try definition.validate(file: file, reader: reader)
        return definition
    }

    private static func yamlSyntaxError(_ error: YamlError, file: String) -> CubeDefinitionError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return CubeDefinitionError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(detail)")
        default:
            return CubeDefinitionError(file: file, line: 0, message: "invalid YAML: \(error)")
        }
    }

    static func reason(_ error: Error) -> String {
        if let cocoa = error as? CocoaError, cocoa.code == .fileReadNoSuchFile { return "no such file" }
        return (error as NSError).localizedDescription
    }
}

/// Walks the YAML node tree, remembering where each name was declared for later errors.
struct DefinitionReader {
    let file: String
    /// Line of each declared name (dimension, level, hierarchy, fact, measure), lowercased.
    var lines: [String: Int] = [:]

    init(file: String) { self.file = file }

    func error(_ node: Node?, _ message: String) -> CubeDefinitionError {
        CubeDefinitionError(file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, message: message)
    }

    func mapping(_ node: Node, _ what: String) throws -> Node.Mapping {
        guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping of names to settings") }
        return mapping
    }

    func string(_ node: Node, _ what: String) throws -> String {
        guard let scalar = node.scalar else { throw error(node, "\(what) must be a single value") }
        return scalar.string
    }

    func name(_ node: Node, _ what: String) throws -> String {
        let text = try string(node, what)
        let isIdentifier = text.first.map { $0.isLetter || $0 == "_" } == true
            && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        guard isIdentifier else { throw error(node, "\(what) '\(text)' is not a valid name (letters, digits and _)") }
        return text
    }

    mutating func declare(_ name: String, at node: Node) throws {
        let key = name.lowercased()
        if let earlier = lines[key] {
            throw error(node, "'\(name)' is declared twice (first on line \(earlier)); dimensions, levels, hierarchies, facts and measures share one namespace")
        }
        lines[key] = node.mark?.line ?? 0
    }

    mutating func readCube(_ root: Node) throws -> CubeDefinition {
        let top = try mapping(root, "the cube definition")
        let known: Set = ["cube", "description", "dimensions", "levels", "hierarchies", "facts", "measures", "rules", "sort", "source"]
        for (key, _) in top {
            let text = try string(key, "a section name")
            guard known.contains(text) else {
                throw error(key, "unknown section '\(text)'; expected one of \(known.sorted().joined(separator: ", "))")
            }
        }
        guard let nameNode = top["cube"] else { throw error(root, "missing 'cube: <name>'") }
        let cubeName = try name(nameNode, "the cube name")
        let description = try top["description"].map { try string($0, "description") } ?? ""
        guard let dimensionsNode = top["dimensions"] else { throw error(root, "missing 'dimensions' section") }

        var dimensions: [DimensionDefinition] = []
        for (key, value) in try mapping(dimensionsNode, "dimensions") {
            let dimensionName = try name(key, "dimension")
            try declare(dimensionName, at: key)
            var kind = DimensionDefinition.ValueKind.text
            var text = ""
            if let settings = value.mapping {
                for (settingKey, settingValue) in settings {
                    switch try string(settingKey, "a dimension setting") {
                    case "type":
                        let raw = try string(settingValue, "type")
                        guard let parsed = DimensionDefinition.ValueKind(rawValue: raw) else {
                            throw error(settingValue, "dimension '\(dimensionName)' has unknown type '\(raw)'; expected text, month or quarter")
                        }
                        kind = parsed
                    case "description": text = try string(settingValue, "description")
                    case let other: throw error(settingKey, "unknown dimension setting '\(other)'; expected type or description")
                    }
                }
            } else if value.scalar?.string.isEmpty == false {
                throw error(value, "dimension '\(dimensionName)' needs a mapping of settings, such as { type: month }")
            }
            dimensions.append(DimensionDefinition(name: dimensionName, kind: kind, description: text))
        }

        var levels: [DerivedLevel] = []
        if let levelsNode = top["levels"] {
            for (key, value) in try mapping(levelsNode, "levels") {
                let levelName = try name(key, "level")
                try declare(levelName, at: key)
                let settings = try mapping(value, "level '\(levelName)'")
                guard let from = settings["from"] else { throw error(value, "level '\(levelName)' needs 'from: <dimension>'") }
                guard let functionNode = settings["function"] else { throw error(value, "level '\(levelName)' needs 'function: year|quarter'") }
                let functionName = try string(functionNode, "function")
                guard let function = DerivedLevel.Function(rawValue: functionName) else {
                    throw error(functionNode, "level '\(levelName)' has unknown function '\(functionName)'; expected year or quarter")
                }
                levels.append(DerivedLevel(name: levelName, source: try name(from, "from"), function: function))
            }
        }

        var hierarchies: [Hierarchy] = []
        if let hierarchiesNode = top["hierarchies"] {
            for (key, value) in try mapping(hierarchiesNode, "hierarchies") {
                let hierarchyName = try name(key, "hierarchy")
                try declare(hierarchyName, at: key)
                guard let sequence = value.sequence, sequence.count >= 2 else {
                    throw error(value, "hierarchy '\(hierarchyName)' must list at least two levels, coarsest first: [region, country]")
                }
                hierarchies.append(Hierarchy(name: hierarchyName, levels: try sequence.map { try name($0, "level") }))
            }
        }

        var facts: [FactColumn] = []
        if let factsNode = top["facts"] {
            for (key, value) in try mapping(factsNode, "facts") {
                let factName = try name(key, "fact column")
                try declare(factName, at: key)
                let kindName = try string(value, "fact kind")
                guard let kind = FactColumn.Kind(rawValue: kindName) else {
                    let expected = FactColumn.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw error(value, "fact '\(factName)' has unknown kind '\(kindName)'; expected one of \(expected)")
                }
                facts.append(FactColumn(name: factName, kind: kind))
            }
        }

        var measures: [MeasureDefinition] = []
        if let measuresNode = top["measures"] {
            for (key, value) in try mapping(measuresNode, "measures") {
                let measureName = try name(key, "measure")
                try declare(measureName, at: key)
                measures.append(try readMeasure(measureName, value))
            }
        }
        var definition = CubeDefinition(name: cubeName, description: description, dimensions: dimensions, levels: levels,
                                        hierarchies: hierarchies, facts: facts, measures: measures, origin: file)
        if let sortNode = top["sort"] { definition.sortKey = try readSortKey(sortNode) }
        if let rulesNode = top["rules"] { definition.rules = try readRules(rulesNode) }
        if let sourceNode = top["source"] { definition.source = try readSource(sourceNode) }
        return definition
    }

    /// `source: { engine: spark, url: sc://host:15002, table: facts }`.
    func readSource(_ node: Node) throws -> RemoteSource {
        var engine: RemoteSource.Engine?
        var url: String?
        var table: String?
        for (key, value) in try mapping(node, "source") {
            switch try string(key, "a source setting") {
            case "engine":
                let text = try string(value, "engine")
                guard let known = RemoteSource.Engine(rawValue: text.lowercased()) else {
                    throw error(value, "unknown engine '\(text)'; expected \(RemoteSource.Engine.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                engine = known
            case "url": url = try string(value, "url")
            case "table": table = try string(value, "table")
            case "token":
                throw error(key, "a token does not belong in the cube file; set SPARK_CONNECT_TOKEN in the environment")
            case let other: throw error(key, "unknown source setting '\(other)'; expected engine, url or table")
            }
        }
        guard let engine else { throw error(node, "source needs 'engine: spark'") }
        guard let url, !url.isEmpty else { throw error(node, "source needs 'url: sc://host:port'") }
        guard let table, !table.isEmpty else { throw error(node, "source needs 'table: <name>'") }
        return RemoteSource(engine: engine, url: url, table: table, line: node.mark?.line ?? 0)
    }

    /// `sort: [account_id, period]`, `sort: none` (keep the input's order) or `sort: automatic`.
    mutating func readSortKey(_ node: Node) throws -> SortKey {
        lines["sort"] = node.mark?.line ?? 0
        if let sequence = node.sequence {
            guard !sequence.isEmpty else { throw error(node, "sort must list at least one dimension, or be 'none'") }
            return .columns(try sequence.map { try name($0, "sort column") })
        }
        switch try string(node, "sort") {
        case "none": return .none
        case "automatic": return .automatic
        case let other:
            throw error(node, "sort must list dimensions ([account_id, period]), or be 'none' or 'automatic'; got '\(other)'")
        }
    }

    /// `rules: { name: { when: condition, says: text } }`. Rule names have a namespace of their own.
    func readRules(_ node: Node) throws -> [RuleDefinition] {
        var rules: [RuleDefinition] = []
        for (key, value) in try mapping(node, "rules") {
            let ruleName = try name(key, "rule")
            if let earlier = rules.first(where: { $0.name.lowercased() == ruleName.lowercased() }) {
                throw error(key, "rule '\(ruleName)' is declared twice (first on line \(earlier.line))")
            }
            let settings = try mapping(value, "rule '\(ruleName)'")
            guard let whenNode = settings["when"] else { throw error(value, "rule '\(ruleName)' needs 'when: <condition>'") }
            var says = ""
            for (settingKey, settingValue) in settings {
                switch try string(settingKey, "a rule setting") {
                case "when": break
                case "says": says = try string(settingValue, "says")
                case let other: throw error(settingKey, "unknown rule setting '\(other)'; expected when or says")
                }
            }
            rules.append(RuleDefinition(name: ruleName, condition: try string(whenNode, "when"), says: says, line: whenNode.mark?.line ?? 0))
        }
        return rules
    }

    func readMeasure(_ measureName: String, _ value: Node) throws -> MeasureDefinition {
        let settings = try mapping(value, "measure '\(measureName)'")
        guard let formulaNode = settings["formula"] else { throw error(value, "measure '\(measureName)' needs a formula") }
        let formula = try string(formulaNode, "formula")
        var format = MeasureDefinition.Format.number
        var additivityName = "non-additive"
        var over: String?
        var description = ""
        var higherIsBetter = false
        for (settingKey, settingValue) in settings {
            switch try string(settingKey, "a measure setting") {
            case "better":
                switch try string(settingValue, "better") {
                case "higher": higherIsBetter = true
                case "lower": higherIsBetter = false
                case let other: throw error(settingValue, "measure '\(measureName)' has better: '\(other)'; expected higher or lower")
                }
            case "formula": break
            case "format":
                let raw = try string(settingValue, "format")
                guard let parsed = MeasureDefinition.Format(rawValue: raw) else {
                    let expected = MeasureDefinition.Format.allCases.map(\.rawValue).joined(separator: ", ")
                    throw error(settingValue, "measure '\(measureName)' has unknown format '\(raw)'; expected one of \(expected)")
                }
                format = parsed
            case "additivity": additivityName = try string(settingValue, "additivity")
            case "over": over = try name(settingValue, "over")
            case "description": description = try string(settingValue, "description")
            case let other:
                throw error(settingKey, "unknown measure setting '\(other)'; expected formula, format, additivity, over, better or description")
            }
        }
        let additivity: MeasureDefinition.Additivity
        switch additivityName {
        case "additive": additivity = .additive
        case "non-additive": additivity = .nonAdditive
        case "semi-additive":
            guard let over else { throw error(value, "semi-additive measure '\(measureName)' needs 'over: <time dimension>'") }
            additivity = .semiAdditive(over: over)
        default:
            throw error(settings["additivity"], "measure '\(measureName)' has unknown additivity '\(additivityName)'; expected additive, non-additive or semi-additive")
        }
        return MeasureDefinition(name: measureName, formula: formula, format: format, additivity: additivity,
                                 description: description, higherIsBetter: higherIsBetter, line: formulaNode.mark?.line ?? 0)
    }
}
