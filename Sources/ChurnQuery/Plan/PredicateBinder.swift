import ChurnStorage
import ChurnSyntax

extension BinaryOperator {
    /// The comparison that holds exactly when this one fails (for non-NULL operands).
    var negatedComparison: BinaryOperator {
        switch self {
        case .equal: return .notEqual
        case .notEqual: return .equal
        case .less: return .greaterOrEqual
        case .lessOrEqual: return .greater
        case .greater: return .lessOrEqual
        case .greaterOrEqual: return .less
        default: return self
        }
    }

    /// The same comparison with its operands swapped (`5 < x` is `x > 5`).
    var mirrored: BinaryOperator {
        switch self {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return self
        }
    }

    func holds<T: Comparable>(_ left: T, _ right: T) -> Bool {
        switch self {
        case .equal: return left == right
        case .notEqual: return left != right
        case .less: return left < right
        case .lessOrEqual: return left <= right
        case .greater: return left > right
        case .greaterOrEqual: return left >= right
        default: return false
        }
    }
}

/// Turns a WHERE clause into a `RowPredicate`: NOT is pushed down to the leaves (SQL's
/// three-valued logic obeys De Morgan), and each condition on a dimension is evaluated once
/// against its dictionary, becoming the set of codes that satisfy it.
///
/// A value that is no member of its dimension matches nothing, as SQL says; `warnings` collects
/// what such conditions are most likely a typo of.
struct PredicateBinder {
    let catalog: CubeCatalog
    private(set) var warnings: [Diagnostic] = []

    init(catalog: CubeCatalog) {
        self.catalog = catalog
    }

    mutating func bind(_ expression: Expression) throws -> RowPredicate {
        try bind(expression, negated: false)
    }

    /// Records a warning once, however many leaves a condition expands into (BETWEEN, NOT).
    mutating func warn(_ warning: Diagnostic?) {
        guard let warning, !warnings.contains(warning) else { return }
        warnings.append(warning)
    }

    private mutating func bind(_ expression: Expression, negated: Bool) throws -> RowPredicate {
        switch expression.kind {
        case let .not(inner):
            return try bind(inner, negated: !negated)
        case let .binary(op, _, _) where op == .and || op == .or:
            // A chain of thousands of conditions becomes one n-ary node, gathered by a loop.
            let children = try expression.operands(of: op).map { try bind($0, negated: negated) }
            return (op == .and) != negated ? .and(children) : .or(children)
        case let .binary(op, left, right) where op.isComparison:
            return try comparison(left, negated ? op.negatedComparison : op, right, range: expression.range)
        case let .inList(value, items, isNot):
            return try membership(value, items, negated: isNot != negated, range: expression.range)
        case let .between(value, lower, upper, isNot):
            if isNot != negated {
                return .or([try comparison(value, .less, lower, range: expression.range),
                            try comparison(value, .greater, upper, range: expression.range)])
            }
            return .and([try comparison(value, .greaterOrEqual, lower, range: expression.range),
                         try comparison(value, .lessOrEqual, upper, range: expression.range)])
        case let .like(value, pattern, isNot):
            return try like(value, pattern, negated: isNot != negated, range: expression.range)
        case let .isNull(value, isNot):
            return try nullTest(value, negated: isNot != negated)
        case let .boolean(value):
            return .constant(value != negated)
        case .null:
            return .constant(false)
        default:
            throw QueryError("WHERE needs a condition, such as region = 'amer'; '\(expression)' is a value", at: expression.range)
        }
    }

    // MARK: - Dimension conditions resolve to code sets

    private func attributeNamed(by expression: Expression) -> GroupAttribute? {
        guard case let .column(identifier) = expression.kind else { return nil }
        return catalog.attribute(named: identifier.name)
    }

    /// The stored codes of exactly these values: dictionary lookups, no scan of the dictionary
    /// (which for account_id holds hundreds of thousands of values).
    private func codes(_ attribute: GroupAttribute, equalTo values: some Sequence<String>) -> CodeSet {
        var matching = CodeSet(capacity: attribute.codeCount)
        for value in values {
            if let code = attribute.dictionary.code(of: value) { matching.insert(code) }
        }
        let storedCount = catalog.cube.store.columns[attribute.column].dictionary.count
        return attribute.storedCodes(for: matching, storedCount: storedCount)
    }

    /// Codes of `attribute` (excluding NULL) whose value satisfies `test`, as stored codes.
    private func codes(_ attribute: GroupAttribute, where test: (String) -> Bool) -> CodeSet {
        var matching = CodeSet(capacity: attribute.codeCount)
        for code in 1..<attribute.dictionary.count where test(attribute.dictionary.values[code]) { matching.insert(UInt32(code)) }
        let storedCount = catalog.cube.store.columns[attribute.column].dictionary.count
        return attribute.storedCodes(for: matching, storedCount: storedCount)
    }

    private func text(of literal: Expression, comparedWith attribute: GroupAttribute) throws -> String? {
        switch literal.kind {
        case let .string(value): return value
        case .null: return nil
        case let .integer(value) where attribute.kind == .month:
            // `period > 2025` would compare '2025' with months as text.
            let example = (1000...9999).contains(value) ? "\(value)-01" : attribute.example ?? "2025-01"
            throw QueryError("\(attribute.name) is a month dimension; compare it with a quoted month such as '\(example)'", at: literal.range)
        case let .integer(value) where attribute.kind == .quarter:
            let example = (1000...9999).contains(value) ? "\(value)-Q1" : attribute.example ?? "2025-Q1"
            throw QueryError("\(attribute.name) is a quarter dimension; compare it with a quoted quarter such as '\(example)'", at: literal.range)
        case let .integer(value): return String(value)
        case .decimal where attribute.kind != .text:
            let what = attribute.kind == .month ? "month" : "quarter"
            let example = attribute.example ?? (attribute.kind == .month ? "2025-01" : "2025-Q1")
            throw QueryError("\(attribute.name) is a \(what) dimension; compare it with a quoted \(what) such as '\(example)'", at: literal.range)
        default:
            throw QueryError("compare the dimension '\(attribute.name)' with a quoted value, e.g. \(attribute.name) = '...'", at: literal.range)
        }
    }

    private mutating func comparison(_ left: Expression, _ op: BinaryOperator, _ right: Expression, range: SourceRange) throws -> RowPredicate {
        if let attribute = attributeNamed(by: left) {
            return try attributeComparison(attribute, op, right, range: range)
        }
        if let attribute = attributeNamed(by: right) {
            return try attributeComparison(attribute, op.mirrored, left, range: range)
        }
        let binder = SelectBinder(catalog: catalog)
        if case .null = right.kind { return .constant(false) }
        if case .null = left.kind { return .constant(false) }
        if case let .string(text) = right.kind { try refuseText(text, at: right.range, comparedWith: left, binder: binder) }
        if case let .string(text) = left.kind { try refuseText(text, at: left.range, comparedWith: right, binder: binder) }
        return .compare(try binder.bindRow(left, function: "WHERE"), op, try binder.bindRow(right, function: "WHERE"))
    }

    /// Fact columns and arithmetic are numbers: text compared with them is an error naming what
    /// the number is and how to write one.
    private func refuseText(_ text: String, at range: SourceRange, comparedWith operand: Expression, binder: SelectBinder) throws {
        if case let .column(identifier) = operand.kind, case let .fact(_, fact)? = catalog.resolve(identifier.name) {
            throw NumericKind(fact.kind).comparedWithText(fact.name, text: text, at: range)
        }
        // Anything else that binds as a row value is a number too; what does not bind says why.
        let row = try binder.bindRow(operand, function: "WHERE")
        let kind: NumericKind
        switch row.valueType {
        case .exact(scale: 0): kind = .wholeNumber
        default: kind = .number
        }
        throw kind.comparedWithText("'\(operand)'", text: text, at: range)
    }

    private mutating func attributeComparison(_ attribute: GroupAttribute, _ op: BinaryOperator, _ literal: Expression, range: SourceRange) throws -> RowPredicate {
        if attributeNamed(by: literal) != nil {
            throw QueryError("comparing two dimensions is not supported; compare a dimension with a value", at: range)
        }
        // Comparing with NULL is never true in SQL.
        guard let value = try text(of: literal, comparedWith: attribute) else { return .constant(false) }
        warn(op == .equal || op == .notEqual ? attribute.missingMemberWarning(value, at: literal.range)
                                             : attribute.malformedBoundWarning(value, at: literal.range))
        // Text compares by its bytes, as the dictionary tells values apart.
        let bound = ByteString(value)
        let set = op == .equal ? codes(attribute, equalTo: [value]) : codes(attribute) { op.holds(ByteString($0), bound) }
        return .codes(column: attribute.column, set, text: "\(attribute.name) \(op.rawValue) '\(value)'")
    }

    private mutating func membership(_ value: Expression, _ items: [Expression], negated: Bool, range: SourceRange) throws -> RowPredicate {
        if let attribute = attributeNamed(by: value) {
            let texts = try items.map { try text(of: $0, comparedWith: attribute) }
            for (item, text) in zip(items, texts) {
                if let text { warn(attribute.missingMemberWarning(text, at: item.range)) }
            }
            // x NOT IN (..., NULL) is never true.
            if negated && texts.contains(where: { $0 == nil }) { return .constant(false) }
            let wanted = Set(texts.compactMap { $0 }.map(ByteString.init))
            let set = negated ? codes(attribute) { !wanted.contains(ByteString($0)) } : codes(attribute, equalTo: wanted.map(\.string))
            let list = texts.compactMap { $0 }.map { "'\($0)'" }.joined(separator: ", ")
            return .codes(column: attribute.column, set, text: "\(attribute.name) \(negated ? "NOT IN" : "IN") (\(list))")
        }
        let leaves = try items.map { try comparison(value, negated ? .notEqual : .equal, $0, range: range) }
        return negated ? .and(leaves) : .or(leaves)
    }

    private mutating func like(_ value: Expression, _ pattern: Expression, negated: Bool, range: SourceRange) throws -> RowPredicate {
        guard let attribute = attributeNamed(by: value) else {
            throw QueryError("LIKE works on dimensions", at: value.range)
        }
        guard case let .string(text) = pattern.kind else {
            throw QueryError("LIKE needs a quoted pattern, e.g. '%sales'", at: pattern.range)
        }
        let matcher = LikePattern(text)
        let set = codes(attribute) { matcher.matches($0) != negated }
        if !negated && set.isEmpty {
            warn(Diagnostic("no member of \(attribute.name) is like '\(text)'", range: pattern.range,
                            hint: "LIKE is case-sensitive: % matches any run of characters and _ one", severity: .warning))
        }
        return .codes(column: attribute.column, set, text: "\(attribute.name) \(negated ? "NOT LIKE" : "LIKE") '\(text)'")
    }

    private func nullTest(_ value: Expression, negated: Bool) throws -> RowPredicate {
        if let attribute = attributeNamed(by: value) {
            let storedCount = catalog.cube.store.columns[attribute.column].dictionary.count
            var set = CodeSet(capacity: storedCount)
            if negated {
                if let codeMap = attribute.codeMap {
                    for (stored, mapped) in codeMap.enumerated() where mapped != 0 { set.insert(UInt32(stored)) }
                } else {
                    for code in 1..<storedCount { set.insert(UInt32(code)) }
                }
            } else {
                if let codeMap = attribute.codeMap {
                    for (stored, mapped) in codeMap.enumerated() where mapped == 0 { set.insert(UInt32(stored)) }
                } else {
                    set.insert(0)
                }
            }
            return .codes(column: attribute.column, set, text: "\(attribute.name) IS \(negated ? "NOT " : "")NULL")
        }
        guard case let .column(identifier) = value.kind, case let .fact(column, fact)? = catalog.resolve(identifier.name) else {
            if case let .column(identifier) = value.kind, catalog.resolve(identifier.name) == nil {
                throw catalog.unknownName(identifier, expected: "column")
            }
            throw QueryError("IS NULL takes a column", at: value.range)
        }
        return .isNull(column: column, name: fact.name, negated: negated)
    }
}

/// SQL LIKE: `%` matches any run of characters, `_` exactly one; everything else literally.
/// Characters are Unicode scalars, as in DuckDB: a flag or an accent written as two scalars is
/// two characters, and precomposed and decomposed accents differ.
struct LikePattern {
    private let pattern: [Unicode.Scalar]

    init(_ text: String) { pattern = Array(text.unicodeScalars) }

    func matches(_ text: String) -> Bool {
        let characters = Array(text.unicodeScalars)
        // Classic wildcard matching with backtracking to the last '%'.
        var textIndex = 0, patternIndex = 0
        var starPattern = -1, starText = 0
        while textIndex < characters.count {
            // '%' first: it is a wildcard even where the text holds a '%' too.
            if patternIndex < pattern.count && pattern[patternIndex] == "%" {
                starPattern = patternIndex; starText = textIndex; patternIndex += 1
            } else if patternIndex < pattern.count && (pattern[patternIndex] == "_" || pattern[patternIndex] == characters[textIndex]) {
                textIndex += 1; patternIndex += 1
            } else if starPattern >= 0 {
                patternIndex = starPattern + 1; starText += 1; textIndex = starText
            } else {
                return false
            }
        }
        while patternIndex < pattern.count && pattern[patternIndex] == "%" { patternIndex += 1 }
        return patternIndex == pattern.count
    }
}
