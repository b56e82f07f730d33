import ChurnStorage

/// What to do with one field of every CSV record.
enum FieldTarget: Sendable {
    case ignored
    /// Intern into the dictionary of stored column `slot`.
    case dimension(slot: Int)
    /// Parse as an integer scaled by 10^scale (scale 0: a plain integer).
    case scaled(slot: Int, scale: Int)
    /// Parse as an integer that must be 0 or 1.
    case flag(slot: Int)
    case double(slot: Int)

    var slot: Int? {
        switch self {
        case .ignored: return nil
        case let .dimension(slot), let .scaled(slot, _), let .flag(slot), let .double(slot): return slot
        }
    }
}

/// A row the parser refused, with its line relative to the start of the block.
struct RejectedRow: Sendable {
    var relativeLine: Int
    var column: String?
    var problem: String
}

/// Parses a block of complete RFC 4180 records into column buffers; `RecordScanner` finds the
/// fields and record ends.
///
/// Blocks are independent, so they are parsed in parallel; dimension values get block-local
/// codes (`interners`), mapped to the global dictionaries when blocks are merged in order.
struct BlockParser {
    let targets: [FieldTarget]
    let columnNames: [String]
    /// Per stored column: the format its dimension values must have.
    let valueChecks: [DimensionValueCheck]
    let skipBadRows: Bool

    /// Per stored column: one value per accepted row (codes, scaled integers or double bits).
    let values: ParsedColumns
    /// Per stored column: accepted-row indexes whose field was empty (NULL).
    var nullRows: [[Int32]]
    var interners: [ByteInterner]
    /// Per stored column: block-local codes whose value was refused (no accepted row uses them).
    private(set) var refusedCodes: [Set<UInt32>]
    /// Per stored column: block-local codes first seen in rejected rows and not used by an accepted one since.
    private var unconfirmedCodes: [Set<UInt32>]
    private var unconfirmedCount = 0
    /// The (slot, code) pairs the record being parsed added to the interners.
    private var codesAddedByRecord: [(slot: Int, code: UInt32)] = []
    private let dimensionSlots: [Int]
    private(set) var rowCount = 0
    /// Line ends consumed, so the loader can turn relative lines into absolute ones.
    private(set) var lineCount = 0
    private(set) var rejected: [RejectedRow] = []
    private(set) var rejectedCount = 0
    /// First error when bad rows are not skipped; parsing stops there.
    private(set) var failure: RejectedRow?

    private var unescaped: [UInt8] = []

    /// `values` receives the parsed rows from row 0 on; a loader hands the same buffers to the
    /// parser of the same piece of every block, so their pages are touched once per load.
    /// `expectedDistinct[slot]`, when given, sizes the interner of column `slot` (the count the
    /// previous block of the same piece had), sparing the growth of one whose values rarely repeat.
    init(targets: [FieldTarget], columnNames: [String], valueChecks: [DimensionValueCheck], skipBadRows: Bool, values: ParsedColumns,
         expectedDistinct: [Int] = []) {
        let storedColumnCount = valueChecks.count
        self.targets = targets
        self.columnNames = columnNames
        self.valueChecks = valueChecks
        refusedCodes = Array(repeating: [], count: storedColumnCount)
        unconfirmedCodes = Array(repeating: [], count: storedColumnCount)
        dimensionSlots = targets.compactMap { target in
            if case let .dimension(slot) = target { return slot }
            return nil
        }
        self.skipBadRows = skipBadRows
        precondition(values.columnCount == storedColumnCount, "parsed columns for a different column count")
        self.values = values
        nullRows = Array(repeating: [], count: storedColumnCount)
        interners = (0..<storedColumnCount).map { slot in ByteInterner(expectedCount: slot < expectedDistinct.count ? expectedDistinct[slot] : 64) }
    }

    /// Parses the records of `bytes` that start before `stop`, which is a record boundary;
    /// `atEnd` tells whether the input ends where `bytes` does. The bytes after `stop` are only
    /// looked at to decide, as `RecordBoundaries` did, where a quoted field ends.
    mutating func parse(_ bytes: UnsafeRawBufferPointer, recordsBefore stop: Int, atEnd: Bool) {
        var scanner = RecordScanner(bytes, atEnd: atEnd)
        defer { lineCount = scanner.lineEnds }
        while scanner.position < stop {
            let recordLine = scanner.lineEnds + 1
            // RecordBoundaries saw every record before `stop` whole in the same bytes, so none is cut short.
            guard let blank = scanner.skipBlankLine() else {
                failure = RejectedRow(relativeLine: recordLine, column: nil, problem: "the record is cut short")
                return
            }
            // A blank line holds no record.
            if blank { continue }
            var fieldIndex = 0
            var problem: RejectedRow? = nil
            values.reserve(row: rowCount)
            codesAddedByRecord.removeAll(keepingCapacity: true)
            fields: while true {
                switch scanner.nextField() {
                case .incomplete:
                    failure = RejectedRow(relativeLine: recordLine, column: nil, problem: "the record is cut short")
                    return
                case let .malformed(line, message):
                    problem = RejectedRow(relativeLine: line, column: nil, problem: message)
                    break fields
                case let .field(start, end, hasDoubledQuotes, hasStrayQuote, endsRecord):
                    if hasStrayQuote && problem == nil {
                        problem = RejectedRow(relativeLine: recordLine, column: fieldIndex < columnNames.count ? columnNames[fieldIndex] : nil,
                                              problem: "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    if problem == nil && fieldIndex < targets.count {
                        let field = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                        if hasDoubledQuotes {
                            unescape(field)
                            let copy = unescaped
                            problem = copy.withUnsafeBytes { store($0, fieldIndex: fieldIndex, line: recordLine) }
                        } else {
                            problem = store(field, fieldIndex: fieldIndex, line: recordLine)
                        }
                    }
                    fieldIndex += 1
                    if endsRecord { break fields }
                }
            }
            if problem == nil && fieldIndex != targets.count {
                problem = RejectedRow(relativeLine: recordLine, column: nil,
                                      problem: "expected \(targets.count) fields, found \(fieldIndex)")
            }
            if let problem {
                rollBack()
                // Values only rejected rows hold must not reach the dictionaries.
                for (slot, code) in codesAddedByRecord where !refusedCodes[slot].contains(code) {
                    if unconfirmedCodes[slot].insert(code).inserted { unconfirmedCount += 1 }
                }
                rejectedCount += 1
                if !skipBadRows { failure = problem; return }
                if rejected.count < 20 { rejected.append(problem) }
            } else {
                if unconfirmedCount > 0 { confirmCodes() }
                rowCount += 1
            }
        }
    }

    /// Whether some code of column `slot` is used by no accepted row of the block.
    func hasUnusedCodes(slot: Int) -> Bool { !refusedCodes[slot].isEmpty || !unconfirmedCodes[slot].isEmpty }

    /// Whether no accepted row of the block uses `code` of column `slot`.
    func isUnused(_ code: UInt32, slot: Int) -> Bool {
        refusedCodes[slot].contains(code) || unconfirmedCodes[slot].contains(code)
    }

    /// Marks the codes of the row just accepted as used.
    private mutating func confirmCodes() {
        for slot in dimensionSlots {
            if unconfirmedCodes[slot].remove(UInt32(values.column(slot)[rowCount])) != nil { unconfirmedCount -= 1 }
        }
    }

    /// Copies a quoted field with its doubled quotes halved; the result lives in `unescaped`.
    private mutating func unescape(_ field: UnsafeRawBufferPointer) {
        unescaped.removeAll(keepingCapacity: true)
        var index = 0
        while index < field.count {
            let byte = field[index]
            unescaped.append(byte)
            index += byte == UInt8(ascii: "\"") ? 2 : 1
        }
    }

    /// Appends one field to its column; returns the problem when the value does not fit the column.
    @inline(__always)
    private mutating func store(_ field: UnsafeRawBufferPointer, fieldIndex: Int, line: Int) -> RejectedRow? {
        switch targets[fieldIndex] {
        case .ignored:
            return nil
        case let .dimension(slot):
            if field.isEmpty { values.column(slot)[rowCount] = 0; return nil }
            let known = interners[slot].count
            let code = interners[slot].intern(field, line: line)
            if Int(code) > known {
                // A new value: check it once; its later repeats are caught by refusedCodes.
                if let problem = valueChecks[slot].problem(with: field) {
                    refusedCodes[slot].insert(code)
                    return RejectedRow(relativeLine: line, column: columnNames[fieldIndex], problem: problem)
                }
                codesAddedByRecord.append((slot, code))
            } else if !refusedCodes[slot].isEmpty && refusedCodes[slot].contains(code) {
                return RejectedRow(relativeLine: line, column: columnNames[fieldIndex],
                                   problem: valueChecks[slot].problem(with: field) ?? "invalid value")
            }
            values.column(slot)[rowCount] = Int64(code)
            return nil
        case let .scaled(slot, scale):
            if field.isEmpty { return appendNull(slot) }
            do {
                let value = scale == 0 ? try NumberParser.parseInteger(field) : try NumberParser.parseScaled(field, scale: scale)
                values.column(slot)[rowCount] = value
                return nil
            } catch {
                return RejectedRow(relativeLine: line, column: columnNames[fieldIndex], problem: describe(error, field, scale: scale))
            }
        case let .flag(slot):
            if field.isEmpty { return appendNull(slot) }
            guard let value = try? NumberParser.parseInteger(field), value == 0 || value == 1 else {
                return RejectedRow(relativeLine: line, column: columnNames[fieldIndex], problem: "'\(Self.excerpt(field))' is not a flag (0 or 1)")
            }
            values.column(slot)[rowCount] = value
            return nil
        case let .double(slot):
            if field.isEmpty { return appendNull(slot) }
            do {
                values.column(slot)[rowCount] = Int64(bitPattern: try NumberParser.parseDouble(field).bitPattern)
                return nil
            } catch {
                return RejectedRow(relativeLine: line, column: columnNames[fieldIndex], problem: describe(error, field, scale: nil))
            }
        }
    }

    private mutating func appendNull(_ slot: Int) -> RejectedRow? {
        nullRows[slot].append(Int32(rowCount))
        // Repeat the previous value so NULLs do not break runs.
        values.column(slot)[rowCount] = rowCount > 0 ? values.column(slot)[rowCount - 1] : 0
        return nil
    }

    /// A field as text for messages, cut at 40 bytes.
    private static func excerpt(_ field: UnsafeRawBufferPointer) -> String {
        String(decoding: field.prefix(40), as: UTF8.self) + (field.count > 40 ? "..." : "")
    }

    private func describe(_ problem: NumberProblem, _ field: UnsafeRawBufferPointer, scale: Int?) -> String {
        let text = Self.excerpt(field)
        switch problem {
        case .notANumber:
            return scale == 0 ? "'\(text)' is not an integer" : "'\(text)' is not a number"
        case .overflow:
            return "\(text) is out of range for a 64-bit \(scale == nil ? "double" : "integer")"
        case let .tooManyDecimals(allowed):
            return allowed == 0 ? "'\(text)' is not an integer" : "'\(text)' has more than \(allowed) decimals"
        }
    }

    /// Drops the NULL marks of a rejected record; its values are overwritten by the next record.
    private mutating func rollBack() {
        for slot in nullRows.indices {
            if let last = nullRows[slot].last, Int(last) >= rowCount { nullRows[slot].removeLast() }
        }
    }
}

/// The format a dimension's values must have: valid UTF-8 always, and the shape of its kind.
enum DimensionValueCheck: Sendable {
    case none
    case text
    case month
    case quarter

    func problem(with field: UnsafeRawBufferPointer) -> String? {
        if case .none = self { return nil }
        // Every new value of a block passes here (in month order, every account id of every
        // block): plain ASCII text is valid without building a String.
        if case .text = self, Self.isASCII(field) { return nil }
        guard let text = String(validating: field, as: UTF8.self) else {
            return "invalid UTF-8 in '\(String(decoding: field.prefix(40), as: UTF8.self))'"
        }
        switch self {
        case .none, .text:
            return nil
        case .month:
            let bytes = Array(field)
            let ok = bytes.count == 7 && bytes[4] == UInt8(ascii: "-") && bytes[0..<4].allSatisfy { $0 &- 48 < 10 }
                && bytes[5..<7].allSatisfy { $0 &- 48 < 10 } && (1...12).contains(Int(bytes[5] &- 48) * 10 + Int(bytes[6] &- 48))
            return ok ? nil : "'\(text)' is not a month (YYYY-MM)"
        case .quarter:
            let bytes = Array(field)
            let ok = bytes.count == 7 && bytes[0..<4].allSatisfy { $0 &- 48 < 10 } && bytes[4] == UInt8(ascii: "-")
                && bytes[5] == UInt8(ascii: "Q") && (UInt8(ascii: "1")...UInt8(ascii: "4")).contains(bytes[6])
            return ok ? nil : "'\(text)' is not a quarter (YYYY-Qn)"
        }
    }

    @inline(__always)
    private static func isASCII(_ field: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var bits: UInt64 = 0
        while index + 8 <= field.count {
            bits |= field.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < field.count {
            bits |= UInt64(field[index])
            index += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }
}
