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
    func resolvingHistory(_ expressions: [Expression?], for statement: String, onlyMonth: Int? = nil,
                          cancellation: Cancellation = .never) throws -> HistoryResolution {
        guard expressions.contains(where: { $0.map(HistoryCall.appears(in:)) ?? false }) else {
            return HistoryResolution(engine: self, expressions: expressions, warnings: [])
        }
        let firstCall = expressions.lazy.compactMap { $0 }.compactMap(Self.firstHistoryCall).first!
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
        var definition = cube.definition
        definition.facts += calls.map { FactColumn(name: $0.columnName, kind: $0.kind) }
        var warnings: [Diagnostic] = []
        func warnAmbiguous(_ call: HistoryCall, rows: Int) {
            guard rows > 0 else { return }
            warnings.append(Diagnostic("\(call.columnName) is NULL on \(Thousands.grouped(rows)) account-month"
                                       + (rows == 1 ? "" : "s") + " whose account has several rows in the month "
                                       + "\(call.months) month\(call.months == 1 ? "" : "s") before",
                                       range: ranges[call] ?? .synthesized, severity: .warning))
        }
        if let connection = catalog.connection {
            // Computed by the remote engine as windows; the store gets empty columns to name them.
            var history: [Int: RemoteWindowColumn] = [:]
            for (offset, call) in calls.enumerated() {
                guard let source = cube.store.columnIndex(named: call.factName) else {
                    throw QueryError("the fact column '\(call.factName)' is not in the cube", at: ranges[call] ?? .synthesized)
                }
                history[cube.store.columns.count + offset] = RemoteWindowColumn(
                    window: .history(call, sourceColumn: source, sourceType: cube.store.columns[source].type),
                    accountColumn: account.column, monthColumn: axis.month.column)
            }
            let columns = calls.map { StoredColumn(name: $0.columnName, type: FactColumn(name: $0.columnName, kind: $0.kind).type) }
            let engine = QueryEngine(extending: self, with: Cube(definition: definition, store: try ColumnStore(columns: cube.store.columns + columns)),
                                     windowColumns: history)
            let ambiguous = try RemoteWindowColumn.ambiguousRows(calls.indices.map { history[cube.store.columns.count + $0]! },
                                                                   on: connection, catalog: engine.catalog, onlyMonth: onlyMonth,
                                                                   cancellation: cancellation)
            for (call, rows) in zip(calls, ambiguous) { warnAmbiguous(call, rows: rows) }
            return HistoryResolution(engine: engine, expressions: rewritten, warnings: warnings)
        }
        let builder = HistoryColumnBuilder(store: cube.store, accountColumn: account.column, monthColumn: axis.month.column,
                                           monthIndex: axis.monthIndex, onlyMonths: onlyMonth.map { [$0] })
        let outputs = try builder.build(calls)
        for (call, output) in zip(calls, outputs) { warnAmbiguous(call, rows: output.ambiguousRows) }
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
    func resolvingHistory(in select: SelectStatement, cancellation: Cancellation = .never) throws -> (engine: QueryEngine, select: SelectStatement, warnings: [Diagnostic]) {
        var expressions: [Expression?] = [select.filter, select.having]
        for item in select.items {
            if case let .expression(expression, _) = item.kind { expressions.append(expression) }
        }
        expressions += select.orderBy.map(\.expression)
        let resolution = try resolvingHistory(expressions, for: "SELECT", cancellation: cancellation)
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
