extension CubeDefinition {
    /// The definition as YAML that `CubeDefinition.parse(yaml:file:)` reads back to an equal
    /// definition: how a snapshot stores its cube, hand-written or inferred.
    ///
    /// Names are written plain (they are identifiers) unless YAML would read them as something
    /// else; free text (descriptions, formulas) is always double-quoted and escaped.
    package var yamlText: String {
        var lines: [String] = []
        lines.append("cube: \(Self.yamlName(name))")
        if !description.isEmpty { lines.append("description: \(Self.yamlQuoted(description))") }

        lines.append("dimensions:")
        for dimension in dimensions {
            var settings: [String] = []
            if dimension.kind != .text { settings.append("type: \(dimension.kind.rawValue)") }
            if !dimension.description.isEmpty { settings.append("description: \(Self.yamlQuoted(dimension.description))") }
            lines.append("  \(Self.yamlName(dimension.name)): { \(settings.joined(separator: ", ")) }")
        }
        if !levels.isEmpty {
            lines.append("levels:")
            for level in levels {
                lines.append("  \(Self.yamlName(level.name)): { from: \(Self.yamlName(level.source)), function: \(level.function.rawValue) }")
            }
        }
        if !hierarchies.isEmpty {
            lines.append("hierarchies:")
            for hierarchy in hierarchies {
                lines.append("  \(Self.yamlName(hierarchy.name)): [\(hierarchy.levels.map(Self.yamlName).joined(separator: ", "))]")
            }
        }
        switch sortKey {
        case .automatic: break
        case .none: lines.append("sort: none")
        case let .columns(names): lines.append("sort: [\(names.map(Self.yamlName).joined(separator: ", "))]")
        }
        if !facts.isEmpty {
            lines.append("facts:")
            for fact in facts { lines.append("  \(Self.yamlName(fact.name)): \(fact.kind.rawValue)") }
        }
        if !measures.isEmpty {
            lines.append("measures:")
            for measure in measures {
                lines.append("  \(Self.yamlName(measure.name)):")
                lines.append("    formula: \(Self.yamlQuoted(measure.formula))")
                lines.append("    format: \(measure.format.rawValue)")
                switch measure.additivity {
                case .additive: lines.append("    additivity: additive")
                case .nonAdditive: lines.append("    additivity: non-additive")
                case let .semiAdditive(over):
                    lines.append("    additivity: semi-additive")
                    lines.append("    over: \(Self.yamlName(over))")
                }
                if measure.higherIsBetter { lines.append("    better: higher") }
                if !measure.description.isEmpty { lines.append("    description: \(Self.yamlQuoted(measure.description))") }
            }
        }
        if !rules.isEmpty {
            lines.append("rules:")
            for rule in rules {
                lines.append("  \(Self.yamlName(rule.name)):")
                lines.append("    when: \(Self.yamlQuoted(rule.condition))")
                if !rule.says.isEmpty { lines.append("    says: \(Self.yamlQuoted(rule.says))") }
            }
        }
        if let source {
            lines.append("source:")
            lines.append("  engine: \(source.engine.rawValue)")
            lines.append("  url: \(Self.yamlQuoted(source.url))")
            lines.append("  table: \(Self.yamlQuoted(source.table))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Words a plain YAML scalar would turn into a boolean or null.
    private static let yamlReservedWords: Set<String> = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"]

    /// A name, plain when it is a simple identifier YAML reads as a string, quoted otherwise.
    static func yamlName(_ name: String) -> String {
        let isPlain = name.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            && !yamlReservedWords.contains(name.lowercased())
        return isPlain ? name : yamlQuoted(name)
    }

    /// A double-quoted YAML scalar: backslash, quote and control characters escaped.
    static func yamlQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
