import ChurnStorage
import ChurnSyntax

/// The text EXPLAIN prints: the bound plan and what executing it did.
struct QueryPlanText {
    let catalog: CubeCatalog

    func render(statement: Statement, bound: BoundSelect, profile: ExecutionProfile) -> String {
        let store = catalog.cube.store
        var lines: [String] = []
        lines.append("EXPLAIN \(statement)")
        lines.append("cube: \(catalog.cube.name), \(Thousands.grouped(store.rowCount)) rows in \(store.rowGroupCount) row groups")
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
        lines.append("columns read: \(columnsRead(bound).joined(separator: ", "))")
        let scan = profile.scan
        let filtered = scan.rowGroups - scan.rowGroupsSkipped - scan.rowGroupsFullyMatched
        lines.append("row groups: \(scan.rowGroups) total, \(scan.rowGroupsSkipped) skipped by statistics, "
            + "\(scan.rowGroupsFullyMatched) matched whole by statistics, \(max(0, filtered)) filtered row by row")
        lines.append("chunks decoded: \(scan.chunksDecoded)")
        lines.append("rows: \(Thousands.grouped(scan.rowsScanned)) scanned, \(Thousands.grouped(scan.rowsMatched)) matched")
        switch bound {
        case let .aggregate(query):
            let keyNames = query.keys.map { catalog.attributes[$0].name }
            lines.append("aggregation: one scan grouped by (\(keyNames.joined(separator: ", "))) on \(scan.workers) threads, \(profile.strategy); \(profile.finestGroups) groups")
            lines.append("aggregates: \(query.aggregates.map(\.description).joined(separator: ", "))")
            lines.append("grouping sets (derived from the scan's grouping by merging states, no rescans):")
            for derivation in profile.setDerivations { lines.append("  " + derivation) }
        case .drillThrough:
            lines.append("execution: \(profile.strategy)")
        }
        lines.append("rows out: \(Thousands.grouped(profile.rowsOut))")
        lines.append(String(format: "time: scan %.1f ms, total %.1f ms", profile.scanMilliseconds, profile.totalMilliseconds))
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

    private func columnsRead(_ bound: BoundSelect) -> [String] {
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
        return names.isEmpty ? ["none"] : names + ["(\(names.count) of \(catalog.cube.store.columns.count))"]
    }
}
