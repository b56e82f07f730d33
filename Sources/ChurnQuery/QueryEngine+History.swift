import ChurnModel
import ChurnStorage
import ChurnSyntax

/// Expressions that call `previous()` or `avg_previous()`, rewritten to read computed columns,
/// and the engine whose cube holds those columns beside the stored ones.
struct HistoryResolution {
    let engine: QueryEngine
    let expressions: [Expression?]
    let warnings: [Diagnostic]
}

extension QueryEngine {
    /// Resolves the history calls of `expressions` for `statement`; without any, this engine and
    /// the expressions unchanged. `onlyMonth` limits the computed values to one month's rows.
    func resolvingHistory(_ expressions: [Expression?], for statement: String, onlyMonth: Int? = nil) throws -> HistoryResolution {
        guard expressions.contains(where: { $0.map(HistoryCall.appears(in:)) ?? false }) else {
            return HistoryResolution(engine: self, expressions: expressions, warnings: [])
        }
        let firstCall = expressions.lazy.compactMap { $0 }.compactMap(Self.firstHistoryCall).first!
        if let connection = catalog.connection {
            throw QueryError("\(firstCall.name.name)() does not run on \(connection.location) yet", at: firstCall.name.range,
                             hint: "an account's earlier months are read from the data in memory")
        }
        guard let axis = TimeAxis(catalog: catalog) else {
            throw QueryError("\(firstCall.name.name) reads an account's earlier months; cube '\(cube.name)' has no dimension of months",
                             at: firstCall.name.range)
        }
        guard let account = catalog.attribute(named: "account_id"), account.codeMap == nil else {
            throw QueryError("\(firstCall.name.name) reads an account's earlier months; cube '\(cube.name)' has no account_id dimension",
                             at: firstCall.name.range)
        }
        let span = Self.monthSpan(of: axis)
        var calls: [HistoryCall] = []
        var ranges: [HistoryCall: SourceRange] = [:]
        let rewritten = try expressions.map { expression in
            try expression.map { expression in
                try HistoryCall.rewrite(expression) { call, range in
                    let bound = try HistoryCall.bind(call, at: range, catalog: catalog, monthSpan: span)
                    if !calls.contains(bound) { calls.append(bound); ranges[bound] = range }
                    return bound
                }
            }
        }
        // A name the cube already uses is no computed column (a fact spelled like a call).
        for call in calls where catalog.resolve(call.columnName) != nil {
            throw QueryError("'\(call.columnName)' is already a name of cube '\(cube.name)'", at: ranges[call] ?? .synthesized)
        }
        let builder = HistoryColumnBuilder(store: cube.store, accountColumn: account.column, monthColumn: axis.month.column,
                                           monthIndex: axis.monthIndex, onlyMonths: onlyMonth.map { [$0] })
        let outputs = try builder.build(calls)
        var warnings: [Diagnostic] = []
        for (call, output) in zip(calls, outputs) where output.ambiguousRows > 0 {
            warnings.append(Diagnostic("\(call.columnName) is NULL on \(Thousands.grouped(output.ambiguousRows)) account-month"
                                       + (output.ambiguousRows == 1 ? "" : "s") + " whose account has several rows in the month "
                                       + "\(call.months) month\(call.months == 1 ? "" : "s") before",
                                       range: ranges[call] ?? .synthesized, severity: .warning))
        }
        var definition = cube.definition
        definition.facts += calls.map { FactColumn(name: $0.columnName, kind: $0.kind) }
        let store = try ColumnStore(columns: cube.store.columns + outputs.map(\.column))
        let engine = QueryEngine(extending: self, with: Cube(definition: definition, store: store))
        return HistoryResolution(engine: engine, expressions: rewritten, warnings: warnings)
    }

    private static func firstHistoryCall(in expression: Expression) -> FunctionCall? {
        var pending = [expression]
        while let next = pending.popLast() {
            if case let .function(call) = next.kind, HistoryCall.functionNames.contains(call.name.normalized) { return call }
            pending += next.children.reversed()
        }
        return nil
    }
}

extension QueryEngine {
    /// A SELECT whose expressions read history, rewritten, with the engine that holds the columns.
    func resolvingHistory(in select: SelectStatement) throws -> (engine: QueryEngine, select: SelectStatement, warnings: [Diagnostic]) {
        var expressions: [Expression?] = [select.filter, select.having]
        for item in select.items {
            if case let .expression(expression, _) = item.kind { expressions.append(expression) }
        }
        expressions += select.orderBy.map(\.expression)
        let resolution = try resolvingHistory(expressions, for: "SELECT")
        guard resolution.engine !== self else { return (self, select, []) }
        var rewritten = select, next = resolution.expressions.makeIterator()
        rewritten.filter = next.next()!
        rewritten.having = next.next()!
        for index in rewritten.items.indices {
            if case let .expression(_, alias) = rewritten.items[index].kind {
                // The header reads as written, not as the computed column's quoted name.
                rewritten.items[index].kind = .expression(next.next()!!, alias: alias ?? select.items[index].outputName.map { Identifier($0) })
            }
        }
        for index in rewritten.orderBy.indices { rewritten.orderBy[index].expression = next.next()!! }
        return (resolution.engine, rewritten, resolution.warnings)
    }
}

extension QueryEngine {
    /// Checks the history calls of `expression` against the cube without computing their columns.
    func checkHistory(_ expression: Expression) throws {
        guard HistoryCall.appears(in: expression) else { return }
        guard let axis = TimeAxis(catalog: catalog) else { return }
        let span = Self.monthSpan(of: axis)
        _ = try HistoryCall.rewrite(expression) { call, range in try HistoryCall.bind(call, at: range, catalog: catalog, monthSpan: span) }
    }

    /// Months from the data's first to its last: as far back as a history call can look.
    private static func monthSpan(of axis: TimeAxis) -> Int {
        let known = axis.monthIndex.compactMap { $0 }
        return (known.max() ?? 0) - (known.min() ?? 0)
    }
}
