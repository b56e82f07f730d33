import ChurnArrow
import Dispatch

/// A SELECT of fact rows on a remote engine: the columns, ORDER BY (NULLs placed as the engine
/// places them), OFFSET and LIMIT go in one statement. Rows tied on ORDER BY follow the cube's
/// sort key, the order the in-memory store keeps them in.
struct RemoteDrillThrough {
    let connection: any SQLConnection
    let catalog: CubeCatalog
    let query: DrillThroughQuery

    /// Fact rows a SELECT without LIMIT may bring back: past it the statement fails rather than
    /// pull a whole distributed table into the shell.
    static let unlimitedRowCap = 100_000

    var statement: String {
        get throws {
            let source = SQLRowSource(dialect: connection.dialect, table: connection.table, catalog: catalog, filter: query.filter)
            var outputs: [(sql: String, alias: String)] = []
            var columns = Set<Int>()
            for (index, column) in query.columns.enumerated() {
                if let attributeIndex = column.attribute {
                    let attribute = catalog.attributes[attributeIndex]
                    outputs.append((try source.attribute(attribute), "c\(index)"))
                    columns.insert(attribute.column)
                } else if let expression = column.expression {
                    outputs.append((source.writer.expression(expression), "c\(index)"))
                    columns.formUnion(expression.columns)
                } else {
                    outputs.append(("NULL", "c\(index)"))
                }
            }
            let store = catalog.cube.store
            let cardinalities = Dictionary(store.columns.map { ($0.name, $0.dictionary.cardinality) }, uniquingKeysWith: { a, _ in a })
            let ties = catalog.cube.definition.sortKey.resolved(in: catalog.cube.definition, cardinalities: cardinalities)
                .compactMap { store.columnIndex(named: $0) }
            for column in ties {
                outputs.append((SQLExpressionWriter.dimensionAlias(column), "t\(column)"))
                columns.insert(column)
            }
            var order = query.order.map { item in
                "c\(item.output) \(item.descending ? "DESC" : "ASC") NULLS \(item.nullsFirst ? "FIRST" : "LAST")"
            }
            order += ties.map { "t\($0) ASC NULLS FIRST" }
            var sql = "SELECT " + query.columns.indices.map { "c\($0)" }.joined(separator: ", ") + "\nFROM "
                + source.relation(outputs: outputs, columns: columns)
            if !order.isEmpty { sql += "\nORDER BY " + order.joined(separator: ", ") }
            // Spark takes limit + offset within 32 bits; no slice of fact rows comes near that.
            let offset = min(Int(Int32.max), max(0, query.offset))
            sql += "\nLIMIT \(query.limit.map { min(Int(Int32.max) - offset, max(0, $0)) } ?? Self.unlimitedRowCap + 1)"
            if offset > 0 { sql += "\nOFFSET \(offset)" }
            return sql
        }
    }

    func run(cancellation: Cancellation, profile: inout ExecutionProfile) throws -> QueryResult {
        let started = DispatchTime.now()
        let sql = try statement
        let stream = try connection.run(sql, cancellation: cancellation)
        var rows: [[ResultValue]] = []
        for batch in stream.batches {
            guard batch.columns.count == query.columns.count else {
                throw QueryError("the remote engine returned \(batch.columns.count) columns for \(query.columns.count) asked", at: .synthesized)
            }
            for row in 0..<batch.rowCount {
                rows.append(try query.columns.enumerated().map { index, column in
                    let cell = ArrowCell(column: batch.columns[index], row: row)
                    if column.attribute != nil { return cell.text.map(ResultValue.text) ?? .null }
                    return try cell.value(exact: column.expression?.exactScale) { _ in
                        ExpressionEvaluator.overflow(column.expression ?? .constant(0))
                    }
                })
            }
        }
        if query.limit == nil && rows.count > Self.unlimitedRowCap {
            throw QueryError("this SELECT returns more than \(Thousands.grouped(Self.unlimitedRowCap)) fact rows from \(connection.location)",
                             at: .synthesized, hint: "add LIMIT n, or aggregate the rows")
        }
        let visible = query.columns.indices.filter { !query.columns[$0].hidden }
        if visible.count != query.columns.count { rows = rows.map { row in visible.map { row[$0] } } }
        profile.remote = RemoteProfile(location: connection.location, statements: [sql], resultRows: rows.count)
        profile.rowsOut = rows.count
        profile.scanMilliseconds = milliseconds(since: started)
        profile.totalMilliseconds = profile.scanMilliseconds
        let columns = visible.map { ResultColumn(name: query.columns[$0].name, role: query.columns[$0].role, format: query.columns[$0].format) }
        return QueryResult(columns: columns, rows: rows)
    }
}
