import ChurnArrow
import ChurnModel
import ChurnStorage
import Dispatch

/// Opens a cube whose facts are a table of a remote engine: checks that the table has the
/// definition's columns with usable types, and reads every dimension's members and the row
/// count in one grouping-sets statement. The cube's store then holds those members and no rows,
/// which is what binding a statement needs.
package struct RemoteCubeOpener {
    package let definition: CubeDefinition
    package let connection: any SQLConnection

    package init(definition: CubeDefinition, connection: any SQLConnection) {
        self.definition = definition
        self.connection = connection
    }

    package struct Opened {
        package var engine: QueryEngine
        /// Fact rows in the table.
        package var rowCount: Int
        package var milliseconds: Double
    }

    package func open(cancellation: Cancellation = .never) throws -> Opened {
        let started = DispatchTime.now()
        let dialect = connection.dialect
        let table = dialect.tableName(connection.table)
        let schema = try connection.run("SELECT * FROM \(table) LIMIT 0", cancellation: cancellation).schema
        try check(schema)
        let dimensions = definition.dimensions.map(\.name)
        let aliases = dimensions.indices.map { "m\($0)" }
        let projection = zip(dimensions, aliases).map { "CAST(\(dialect.identifier($0)) AS STRING) AS \($1)" }
        var select = aliases
        if dimensions.count > 1 { select.append("\(dialect.groupingIDFunction)(\(aliases.joined(separator: ", "))) AS g") }
        select.append("count(*) AS n")
        let grouping = dimensions.count > 1
            ? "GROUPING SETS (" + aliases.map { "(\($0))" }.joined(separator: ", ") + ")"
            : aliases.joined(separator: ", ")
        let sql = "SELECT \(select.joined(separator: ", ")) FROM (SELECT \(projection.joined(separator: ", ")) FROM \(table)) AS facts"
            + (dimensions.isEmpty ? "" : " GROUP BY \(grouping)")
        let stream = try connection.run(sql, cancellation: cancellation)
        var members = [[String]](repeating: [], count: dimensions.count)
        var rowCounts = [Int](repeating: 0, count: max(1, dimensions.count))
        let names = stream.schema.fields.map(\.name)
        guard let countColumn = names.firstIndex(of: "n") else { throw missingColumn("n", names) }
        let idColumn = names.firstIndex(of: "g")
        let memberColumns = try aliases.map { alias in
            guard let index = names.firstIndex(of: alias) else { throw missingColumn(alias, names) }
            return index
        }
        for batch in stream.batches {
            for row in 0..<batch.rowCount {
                // Grouping id: the one dimension grouped is the only bit clear.
                let dimension: Int
                if let idColumn {
                    guard let id = ArrowCell(column: batch.columns[idColumn], row: row).integer,
                          let found = dimensions.indices.first(where: { id == ((Int64(1) << Int64(dimensions.count)) - 1) ^ (1 << Int64(dimensions.count - 1 - $0)) })
                    else { throw QueryError("the remote engine returned a row of no dimension asked for", at: .synthesized) }
                    dimension = found
                } else {
                    dimension = 0
                }
                rowCounts[dimension] += Int(ArrowCell(column: batch.columns[countColumn], row: row).integer ?? 0)
                if let text = ArrowCell(column: batch.columns[memberColumns[dimension]], row: row).text { members[dimension].append(text) }
            }
        }
        var columns = zip(dimensions, members).map { name, values in
            // In byte order, each once (a GROUP BY gives each once already); the value-to-code
            // map is built when a statement first looks a member up.
            var distinct: [String] = []
            distinct.reserveCapacity(values.count)
            for value in values.sorted(by: { ByteString.compareBytes($0, $1) < 0 }) where distinct.last.map({ ByteString.compareBytes($0, value) != 0 }) ?? true {
                distinct.append(value)
            }
            return StoredColumn(name: name, type: .dimension, dictionary: ValueDictionary(distinctValues: distinct))
        }
        columns += definition.facts.map { StoredColumn(name: $0.name, type: $0.type) }
        let cube = Cube(definition: definition, store: try ColumnStore(columns: columns))
        return Opened(engine: try QueryEngine(cube: cube, connection: connection, rowCount: rowCounts[0]), rowCount: rowCounts[0],
                      milliseconds: milliseconds(since: started))
    }

    /// Every column of the definition is in the table, facts with numeric types.
    private func check(_ schema: ArrowSchema) throws {
        let fields = Dictionary(schema.fields.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let missing = (definition.dimensions.map(\.name) + definition.facts.map(\.name)).filter { fields[$0.lowercased()] == nil }
        if !missing.isEmpty {
            throw QueryError("the table \(connection.table) on \(connection.location) has no column\(missing.count == 1 ? "" : "s") "
                             + missing.joined(separator: ", ") + " of cube \(definition.name)", at: .synthesized,
                             hint: "it has " + schema.fields.map(\.name).joined(separator: ", "))
        }
        for fact in definition.facts {
            guard let field = fields[fact.name.lowercased()] else { continue }
            switch field.type {
            case .integer, .floatingPoint, .decimal, .null, .boolean: continue
            default:
                throw QueryError("the column \(fact.name) of table \(connection.table) is \(field.type); cube \(definition.name) "
                                 + "declares it \(fact.kind.rawValue), which needs a numeric column", at: .synthesized)
            }
        }
    }

    private func missingColumn(_ name: String, _ names: [String]) -> QueryError {
        QueryError("the remote engine's answer has no column \(name) (it has \(names.joined(separator: ", ")))", at: .synthesized)
    }
}
