import ChurnSyntax

extension CubeDefinition {
    /// Checks the references between the parts of a definition: levels name month dimensions,
    /// hierarchies name known levels and contain no cycle, semi-additive measures name a dimension.
    func validate(file: String, reader: DefinitionReader) throws {
        func fail(_ name: String, _ message: String) -> CubeDefinitionError {
            CubeDefinitionError(file: file, line: reader.lines[name.lowercased()] ?? 0, message: message)
        }
        if dimensions.isEmpty { throw CubeDefinitionError(file: file, line: 0, message: "the cube declares no dimensions") }

        for level in levels {
            guard let source = dimension(named: level.source) else {
                throw fail(level.name, "level '\(level.name)' is computed from '\(level.source)', which is not a dimension")
            }
            guard source.kind == .month else {
                throw fail(level.name, "level '\(level.name)' needs a month dimension (type: month); '\(source.name)' is \(source.kind.rawValue)")
            }
        }

        // Edges parent -> child from every hierarchy; a cycle means two hierarchies disagree on the order.
        var children: [String: Set<String>] = [:]
        for hierarchy in hierarchies {
            var seen: Set<String> = []
            for level in hierarchy.levels {
                guard dimension(named: level) != nil || self.level(named: level) != nil else {
                    throw fail(hierarchy.name, "hierarchy '\(hierarchy.name)' names '\(level)', which is neither a dimension nor a level")
                }
                guard seen.insert(level.lowercased()).inserted else {
                    throw fail(hierarchy.name, "hierarchy '\(hierarchy.name)' lists '\(level)' twice: a cycle")
                }
            }
            for (parent, child) in zip(hierarchy.levels, hierarchy.levels.dropFirst()) {
                children[parent.lowercased(), default: []].insert(child.lowercased())
            }
        }
        for hierarchy in hierarchies {
            if let cycle = findCycle(from: hierarchy.levels[0].lowercased(), children: children) {
                throw fail(hierarchy.name, "hierarchies form a cycle: \(cycle.joined(separator: " > "))")
            }
        }

        if case let .columns(names) = sortKey {
            var seen: Set<String> = []
            for name in names {
                guard dimension(named: name) != nil else {
                    let hint = level(named: name) != nil ? ": levels are computed, sort by their dimension" : ""
                    throw fail("sort", "sort names '\(name)', which is not a dimension of the cube\(hint)")
                }
                guard seen.insert(name.lowercased()).inserted else { throw fail("sort", "sort lists '\(name)' twice") }
            }
        }

        for measure in measures {
            if case let .semiAdditive(over) = measure.additivity, dimension(named: over) == nil {
                throw fail(measure.name, "measure '\(measure.name)' is semi-additive over '\(over)', which is not a dimension")
            }
            try validateFormula(of: measure, file: file)
        }
        for rule in rules { try validateCondition(of: rule, file: file) }
    }

    private func findCycle(from start: String, children: [String: Set<String>]) -> [String]? {
        var path: [String] = []
        var onPath: Set<String> = []
        var done: Set<String> = []
        func visit(_ node: String) -> [String]? {
            if onPath.contains(node) {
                let loopStart = path.firstIndex(of: node)!
                return Array(path[loopStart...]) + [node]
            }
            if done.contains(node) { return nil }
            path.append(node); onPath.insert(node)
            for child in (children[node] ?? []).sorted() {
                if let cycle = visit(child) { return cycle }
            }
            path.removeLast(); onPath.remove(node); done.insert(node)
            return nil
        }
        return visit(start)
    }
}

extension CubeDefinition {
    /// A formula must parse, and name only fact columns and dimensions inside aggregates.
    func validateFormula(of measure: MeasureDefinition, file: String) throws {
        let formula: Expression
        do {
            formula = try Parser.parseExpression(measure.formula)
        } catch {
            throw CubeDefinitionError(file: file, line: measure.line, message:
                "measure '\(measure.name)': formula '\(measure.formula)' does not parse: \(error.diagnostic.message) at column \(error.range.column)")
        }
        // Walked with a stack of its own: a formula may chain thousands of terms.
        var problem: String?
        var pending = [(expression: formula, insideAggregate: false)]
        while problem == nil, let (expression, insideAggregate) = pending.popLast() {
            switch expression.kind {
            case let .column(name):
                if fact(named: name.name) == nil && dimension(named: name.name) == nil {
                    let known = facts.map(\.name) + dimensions.map(\.name)
                    let suggestion = closestMatch(to: name.name, among: known).map { "; did you mean '\($0)'?" } ?? ""
                    problem = "names '\(name.name)', which is not a column of the cube\(suggestion)"
                } else if !insideAggregate {
                    problem = "uses '\(name.name)' outside an aggregate such as SUM(\(name.name))"
                }
            case let .function(call):
                let inside = insideAggregate || call.isAggregate
                pending += call.argumentList.reversed().map { ($0, inside) }
            default:
                pending += expression.children.reversed().map { ($0, insideAggregate) }
            }
        }
        if let problem {
            throw CubeDefinitionError(file: file, line: measure.line, message: "measure '\(measure.name)' \(problem)")
        }
    }
}

extension CubeDefinition {
    /// A rule's condition must parse and name only columns of the cube, history calls
    /// (`previous(fact, n)`, `avg_previous(fact, n)`) on fact columns, and no aggregate.
    func validateCondition(of rule: RuleDefinition, file: String) throws {
        func fail(_ problem: String) -> CubeDefinitionError {
            CubeDefinitionError(file: file, line: rule.line, message: "rule '\(rule.name)' \(problem)")
        }
        let condition: Expression
        do {
            condition = try Parser.parseExpression(rule.condition)
        } catch {
            throw fail("does not parse: \(error.diagnostic.message) at column \(error.range.column) of '\(rule.condition)'")
        }
        let columns = facts.map(\.name) + dimensions.map(\.name) + levels.map(\.name)
        var pending = [condition]
        while let expression = pending.popLast() {
            switch expression.kind {
            case let .column(name):
                guard fact(named: name.name) != nil || dimension(named: name.name) != nil || level(named: name.name) != nil else {
                    let suggestion = closestMatch(to: name.name, among: columns).map { "; did you mean '\($0)'?" } ?? ""
                    throw fail("names '\(name.name)', which is not a column of the cube\(suggestion)")
                }
            case let .function(call) where FunctionCall.historyNames.contains(call.name.normalized):
                let arguments = call.argumentList
                guard arguments.count == 2, case let .column(name) = arguments[0].kind, case .integer = arguments[1].kind else {
                    throw fail("calls \(call.name.name) with other arguments than a fact column and a number of months, e.g. \(call.name.normalized)(logins, 3)")
                }
                guard fact(named: name.name) != nil else {
                    let what = dimension(named: name.name) != nil || level(named: name.name) != nil ? "a dimension" : "not a column of the cube"
                    throw fail("calls \(call.name.name) on '\(name.name)', which is \(what); it reads a fact column of the account's earlier rows")
                }
            case let .function(call) where call.isAggregate:
                throw fail("uses the aggregate \(call.name.name.uppercased()): a rule is a condition on one account-month")
            default:
                pending += expression.children
            }
        }
    }
}
