import ChurnModel
import ChurnStorage
import ChurnSyntax
import Synchronization

/// An attribute a query can group or filter by: a stored dimension, or a level derived from one
/// (quarter of period). Both read the stored column's codes; a level maps them through `codeMap`.
package final class GroupAttribute: Sendable {
    package let name: String
    /// Stored column whose codes are read.
    package let column: Int
    /// The attribute's own values (for a stored dimension, its dictionary).
    package let dictionary: ValueDictionary
    /// Stored code -> attribute code; nil for a stored dimension (identity).
    package let codeMap: [UInt32]?
    /// Attribute code -> rank in ascending value order (NULL first), computed on first use: sorting
    /// the half million account ids would otherwise delay every open.
    package var sortRanks: [UInt32] {
        rankCache.withLock { cached in
            if let cached { return cached }
            let ranks = dictionary.sortRanks()
            cached = ranks
            return ranks
        }
    }
    private let rankCache = Mutex<[UInt32]?>(nil)
    /// The value format the dimension declares (month, quarter, text).
    package let kind: DimensionDefinition.ValueKind

    init(name: String, column: Int, dictionary: ValueDictionary, codeMap: [UInt32]?, kind: DimensionDefinition.ValueKind) {
        self.name = name
        self.column = column
        self.dictionary = dictionary
        self.codeMap = codeMap
        self.kind = kind
    }

    /// Whether member `a` sorts before member `b` in ascending value order with NULL (code 0)
    /// last: the order of a GROUP BY's rows.
    package func precedes(_ a: UInt32, _ b: UInt32) -> Bool {
        if a == 0 || b == 0 { return b == 0 && a != 0 }
        return sortRanks[Int(a)] < sortRanks[Int(b)]
    }

    /// Number of attribute codes, NULL included.
    package var codeCount: Int { dictionary.count }

    /// The stored codes whose attribute value is in `attributeCodes` (a predicate on a level is a
    /// predicate on its source column).
    func storedCodes(for attributeCodes: CodeSet, storedCount: Int) -> CodeSet {
        guard let codeMap else { return attributeCodes }
        var result = CodeSet(capacity: storedCount)
        for (stored, mapped) in codeMap.enumerated() where attributeCodes.contains(mapped) { result.insert(UInt32(stored)) }
        return result
    }
}

/// The names a query can use on one cube, resolved once per cube: attributes, hierarchies,
/// fact columns and named measures (their formulas parsed).
package final class CubeCatalog: Sendable {
    package let cube: Cube
    package let attributes: [GroupAttribute]
    package let measureFormulas: [String: Expression]
    /// The remote engine holding the facts, when the cube's store holds only its members: every
    /// aggregation is then compiled to SQL and sent there.
    package let connection: (any SQLConnection)?
    /// Fact rows: the store's, or the remote table's when the facts are there.
    package let rowCount: Int
    /// On a remote engine, the columns computed there from each account's months (history
    /// calls, churn outcomes), by store column: they are not in the table.
    let windowColumns: [Int: RemoteWindowColumn]

    package enum Name {
        case attribute(GroupAttribute)
        case hierarchy(Hierarchy)
        case fact(column: Int, FactColumn)
        case measure(MeasureDefinition, Expression)
    }

    package init(cube: Cube, connection: (any SQLConnection)? = nil, remoteRowCount: Int? = nil) throws {
        self.cube = cube
        self.connection = connection
        rowCount = remoteRowCount ?? cube.store.rowCount
        windowColumns = [:]
        let definition = cube.definition
        var attributes: [GroupAttribute] = []
        for dimension in definition.dimensions {
            guard let column = cube.store.columnIndex(named: dimension.name) else { continue }
            attributes.append(GroupAttribute(name: dimension.name, column: column, dictionary: cube.store.columns[column].dictionary,
                                             codeMap: nil, kind: dimension.kind))
        }
        for level in definition.levels {
            guard let column = cube.store.columnIndex(named: level.source) else { continue }
            let source = cube.store.columns[column].dictionary
            var dictionary = ValueDictionary()
            var codeMap = [UInt32](repeating: 0, count: source.count)
            // Sorted source values give level codes in ascending order too.
            for code in (1..<source.count).sorted(by: { source.values[$0] < source.values[$1] }) {
                if let value = level.function.apply(source.values[code]) { codeMap[code] = dictionary.intern(value) }
            }
            attributes.append(GroupAttribute(name: level.name, column: column, dictionary: dictionary, codeMap: codeMap,
                                             kind: level.function == .quarter ? .quarter : .text))
        }
        self.attributes = attributes
        var formulas: [String: Expression] = [:]
        for measure in definition.measures {
            formulas[measure.name.lowercased()] = try Parser.parseExpression(measure.formula)
        }
        measureFormulas = formulas
    }

    /// The catalog of `cube`, whose store is `base`'s with columns appended (`windowColumns`
    /// among them when they are computed remotely).
    init(extending base: CubeCatalog, cube: Cube, windowColumns: [Int: RemoteWindowColumn] = [:]) {
        self.cube = cube
        connection = base.connection
        rowCount = base.rowCount
        self.windowColumns = base.windowColumns.merging(windowColumns) { _, new in new }
        attributes = base.attributes
        measureFormulas = base.measureFormulas
    }

    package func resolve(_ name: String) -> Name? {
        let key = name.lowercased()
        if let attribute = attributes.first(where: { $0.name.lowercased() == key }) { return .attribute(attribute) }
        if let hierarchy = cube.definition.hierarchy(named: name) { return .hierarchy(hierarchy) }
        if let fact = cube.definition.fact(named: name), let column = cube.store.columnIndex(named: fact.name) {
            return .fact(column: column, fact)
        }
        if let measure = cube.definition.measure(named: name), let formula = measureFormulas[key] {
            return .measure(measure, formula)
        }
        return nil
    }

    package func attribute(named name: String) -> GroupAttribute? {
        if case let .attribute(attribute)? = resolve(name) { return attribute }
        return nil
    }

    /// Every name, for did-you-mean suggestions.
    package var allNames: [String] {
        attributes.map(\.name) + cube.definition.hierarchies.map(\.name) + cube.definition.facts.map(\.name)
            + cube.definition.measures.map(\.name)
    }

    package func unknownName(_ identifier: Identifier, expected: String) -> QueryError {
        let suggestion = closestMatch(to: identifier.name, among: allNames).map { "did you mean '\($0)'?" }
        return QueryError("unknown \(expected) '\(identifier.name)'", at: identifier.range, hint: suggestion)
    }
}
