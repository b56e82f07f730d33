import ChurnModel
import ChurnStorage

/// The rows a statement reads, as SQL: the table's columns cast to the types the cube gives them
/// (dimension `i` as `d<i>`, fact `i` as `f<i>`), the filter applied, then the attributes and
/// expressions the statement needs under the aliases it gives them.
struct SQLRowSource {
    let dialect: SQLDialect
    let table: String
    let catalog: CubeCatalog
    let filter: RowPredicate?

    var writer: SQLExpressionWriter { SQLExpressionWriter(dialect: dialect, store: catalog.cube.store) }

    /// `(SELECT <outputs> FROM (SELECT <typed columns> FROM table) AS typed WHERE filter) AS facts`.
    /// `outputs` are (SQL over the typed columns, alias); the typed columns are those `columns`
    /// and the filter read.
    func relation(outputs: [(sql: String, alias: String)], columns: Set<Int>) -> String {
        "(" + query(outputs: outputs, columns: columns) + ") AS facts"
    }

    /// The relation's query alone, for a `WITH` clause. Window columns (`previous(logins, 1)`)
    /// are computed over every row of the table, before the filter.
    func query(outputs: [(sql: String, alias: String)], columns: Set<Int>) -> String {
        let store = catalog.cube.store
        var read = columns
        if let filter { read.formUnion(filter.columns) }
        let windows = read.sorted().compactMap { column in catalog.windowColumns[column].map { (column: column, window: $0) } }
        var stored = read.subtracting(windows.map(\.column))
        for window in windows { stored.formUnion(window.window.readColumns) }
        var typed: [String] = []
        for column in stored.sorted() {
            let name = dialect.identifier(store.columns[column].name)
            switch store.columns[column].type {
            case .dimension: typed.append("CAST(\(name) AS STRING) AS \(SQLExpressionWriter.dimensionAlias(column))")
            case let .decimal(scale): typed.append("CAST(\(name) AS DECIMAL(19, \(scale))) AS \(SQLExpressionWriter.factAlias(column))")
            case .double: typed.append("CAST(\(name) AS DOUBLE) AS \(SQLExpressionWriter.factAlias(column))")
            case .integer: typed.append("CAST(\(name) AS BIGINT) AS \(SQLExpressionWriter.factAlias(column))")
            }
        }
        let selected = outputs.isEmpty ? ["1 AS one"] : outputs.map { "\($0.sql) AS \($0.alias)" }
        var rows = "(SELECT " + (typed.isEmpty ? ["1 AS one"] : typed).joined(separator: ", ") + " FROM " + dialect.tableName(table) + ")"
        if !windows.isEmpty {
            let computed = windows.map { window in
                let alias = store.columns[window.column].type == .dimension
                    ? SQLExpressionWriter.dimensionAlias(window.column) : SQLExpressionWriter.factAlias(window.column)
                return "\(window.window.sql(dialect)) AS \(alias)"
            }
            rows = "(SELECT raw.*, " + computed.joined(separator: ", ") + "\n    FROM " + rows + " AS raw)"
        }
        var text = "SELECT " + selected.joined(separator: ", ") + "\n  FROM " + rows + " AS typed"
        if let filter { text += "\n  WHERE " + writer.condition(filter) }
        return text
    }

    /// An attribute's value over the typed columns: its stored column, or the level computed from it.
    func attribute(_ attribute: GroupAttribute) throws -> String {
        let source = SQLExpressionWriter.dimensionAlias(attribute.column)
        guard attribute.codeMap != nil else { return source }
        guard let level = catalog.cube.definition.level(named: attribute.name) else {
            throw QueryError("\(attribute.name) is not available on a remote engine", at: .synthesized)
        }
        return dialect.level(level.function, of: source)
    }
}
