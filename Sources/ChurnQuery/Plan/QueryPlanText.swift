import ChurnStorage
import ChurnSyntax

/// The text EXPLAIN prints: the bound plan and what executing it did.
struct QueryPlanText {
    let catalog: CubeCatalog

    func render(statement: Statement, bound: BoundSelect, profile: ExecutionProfile) -> String {
        if let remote = profile.remote { return renderRemote(statement: statement, bound: bound, profile: profile, remote: remote) }
        let store = catalog.cube.store
        var lines: [String] = []
        lines.append("EXPLAIN \(statement)")
        lines.append("cube: \(catalog.cube.name), \(Thousands.grouped(store.rowCount)) rows in \(store.rowGroupCount) row groups")
        switch catalog.cube.definition.sortKey {
        case let .columns(names): lines.append("physical order: sorted by \(names.joined(separator: ", ")) (the cube's sort key)")
        default: lines.append("physical order: as loaded (no sort key)")
        }
        let filter: RowPredicate?
        switch bound {
        case let .aggregate(query): filter = query.filter
        case let .drillThrough(query): filter = query.filter
        }
        if let filter {
            lines.append("filter: \(filter)")
            for line in codeSetLines(filter) { lines.append("  " + line) }
        } else {
            lines.append("filter: none")
        }
        lines.append("columns read: \(columnsRead(bound))")
        let scan = profile.scan
        if filter != nil {
            let filtered = scan.rowGroups - scan.rowGroupsSkipped - scan.rowGroupsFullyMatched
            lines.append("row groups: \(scan.rowGroups) total, \(scan.rowGroupsSkipped) skipped by statistics, "
                + "\(scan.rowGroupsFullyMatched) matched whole by statistics, \(max(0, filtered)) filtered")
            let kernels = kernelText(scan.kernels)
            if !kernels.isEmpty { lines.append("predicate kernels (runs over row groups): \(kernels)") }
        } else {
            lines.append("row groups: \(scan.rowGroups) total, all read (no filter)")
        }
        lines.append("chunks decoded: \(scan.chunksDecoded)")
        lines.append("rows: \(Thousands.grouped(scan.rowsScanned)) scanned, \(Thousands.grouped(scan.rowsMatched)) matched")
        switch bound {
        case let .aggregate(query):
            let keyNames = query.keys.map { catalog.attributes[$0].name }
            lines.append("aggregation: one scan grouped by (\(keyNames.joined(separator: ", "))) on \(scan.workers) thread\(scan.workers == 1 ? "" : "s"), \(profile.strategy); "
                + "\(Thousands.grouped(profile.finestGroups)) groups; state \(byteText(profile.groupingBytes)) "
                + (scan.stretches > 0
                    ? "per stretch of row groups (\(scan.stretches), floating-point sums added in stretch order)" : "per thread"))
            lines.append("aggregates: \(query.aggregates.map(\.description).joined(separator: ", "))")
            lines.append("grouping sets (derived from the scan's grouping by merging states, no rescans):")
            for derivation in profile.setDerivations { lines.append("  " + derivation) }
            if !profile.ordering.isEmpty { lines.append("order: \(profile.ordering)") }
        case .drillThrough:
            lines.append("execution: \(profile.strategy)")
        }
        lines.append("rows out: \(Thousands.grouped(profile.rowsOut))")
        lines.append(String(format: "time: scan %.1f ms, total %.1f ms", profile.scanMilliseconds, profile.totalMilliseconds))
        return lines.joined(separator: "\n")
    }

    /// A plan that ran remotely: the SQL sent, then what came back.
    private func renderRemote(statement: Statement, bound: BoundSelect, profile: ExecutionProfile, remote: RemoteProfile) -> String {
        var lines = ["EXPLAIN \(statement)", "cube: \(catalog.cube.name) on \(remote.location)"]
        if case let .aggregate(query) = bound {
            lines.append("filter: \(query.filter.map(\.description) ?? "none")")
            lines.append("aggregates: \(query.aggregates.map(\.description).joined(separator: ", "))")
        }
        lines.append("SQL sent (\(remote.statements.count) statement\(remote.statements.count == 1 ? "" : "s")):")
        for sql in remote.statements {
            for line in sql.split(separator: "\n") { lines.append("  " + line) }
            lines.append("")
        }
        lines.append("groups returned: \(Thousands.grouped(remote.resultRows)); fact rows matched: \(Thousands.grouped(profile.scan.rowsMatched))")
        if !profile.ordering.isEmpty { lines.append("order: \(profile.ordering)") }
        lines.append("rows out: \(Thousands.grouped(profile.rowsOut))")
        lines.append(String(format: "time: remote %.1f ms, total %.1f ms", profile.scanMilliseconds, profile.totalMilliseconds))
        return lines.joined(separator: "\n")
    }

    private func codeSetLines(_ predicate: RowPredicate) -> [String] {
        switch predicate {
        case let .codes(column, codes, text):
            let stored = catalog.cube.store.columns[column]
            return ["\(text): \(codes.count) of \(stored.dictionary.count - 1) codes of '\(stored.name)'"]
        case let .and(children), let .or(children):
            return children.flatMap(codeSetLines)
        default:
            return []
        }
    }

    private func columnsRead(_ bound: BoundSelect) -> String {
        var columns = Set<Int>()
        switch bound {
        case let .aggregate(query):
            if let filter = query.filter { columns.formUnion(filter.columns) }
            for key in query.keys { columns.insert(catalog.attributes[key].column) }
            for spec in query.aggregates {
                if let input = spec.input { columns.formUnion(input.columns) }
                switch spec {
                case let .countAttribute(attribute), let .countDistinct(attribute), let .minAttribute(attribute),
                     let .maxAttribute(attribute), let .lastSum(_, attribute):
                    columns.insert(catalog.attributes[attribute].column)
                default: break
                }
            }
        case let .drillThrough(query):
            if let filter = query.filter { columns.formUnion(filter.columns) }
            for column in query.columns {
                if let attribute = column.attribute { columns.insert(catalog.attributes[attribute].column) }
                if let expression = column.expression { columns.formUnion(expression.columns) }
            }
        }
        let names = columns.sorted().map { catalog.cube.store.columns[$0].name }
        if names.isEmpty { return "none" }
        return names.joined(separator: ", ") + " (\(names.count) of \(catalog.cube.store.columns.count))"
    }

    private func kernelText(_ kernels: PredicateKernelCounts) -> String {
        let parts: [(String, Int)] = [
            ("sparse positions", kernels.sparse), ("value runs", kernels.runs), ("integer loop", kernels.plain),
            ("dictionary runs", kernels.dictionaryRuns), ("dictionary codes", kernels.dictionaryCodes), ("code postings", kernels.postings),
            ("null bitmap", kernels.nullTests), ("expression", kernels.expressions),
        ]
        return parts.filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    private func byteText(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return String(format: "%.1f MB", Double(bytes) / 1e6) }
        if bytes >= 1 << 10 { return String(format: "%.0f KB", Double(bytes) / 1e3) }
        return "\(bytes) B"
    }
}
