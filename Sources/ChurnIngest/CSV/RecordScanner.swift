/// Walks CSV records field by field: the one definition of where fields and records end, shared by
/// `RecordBoundaries` (which cuts the input into blocks), `BlockParser` (which parses the blocks)
/// and `SimpleRecordReader` (which reads the header), so the three always agree.
///
/// A line ends at LF, CR LF or a CR alone. A quote opens a quoted field only at the start of a field. A quoted field that is not closed
/// within `maximumQuotedBytes` or `maximumQuotedLines`, or before the end of the input, is
/// unterminated: most likely a stray quote. Rather than swallowing the rest of the file, the record
/// then ends at the end of the line where the quote opened, and the next line starts a new record;
/// text after a closing quote ends the record the same way. So one bad quote costs one line.
///
/// A scan depends only on the bytes from where it starts to the end of the buffer, and on
/// `atEnd`: two scanners given the same bytes find the same records.
struct RecordScanner {
    /// Longest quoted field: 1 MiB.
    static let maximumQuotedBytes = 1 << 20
    /// Most line ends inside one quoted field.
    static let maximumQuotedLines = 1_000

    enum Step {
        /// A field at `start..<end`; `endsRecord` when a line end or the end of the input follows it.
        case field(start: Int, end: Int, hasDoubledQuotes: Bool, hasStrayQuote: Bool, endsRecord: Bool)
        /// The record's quoting is broken; the scanner has moved past the end of the line where the
        /// offending quote opened. `line` is that line, counted like `lineEnds + 1`.
        case malformed(line: Int, problem: String)
        /// The bytes end inside the record and more input follows.
        case incomplete
    }

    private let bytes: UnsafeRawBufferPointer
    private let count: Int
    /// Whether the bytes end where the input ends; otherwise a record running into their end is incomplete.
    let atEnd: Bool
    private(set) var position: Int
    /// Line ends passed since the scan started.
    private(set) var lineEnds = 0

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lineFeed = UInt8(ascii: "\n"),
                        carriageReturn = UInt8(ascii: "\r")
    /// The byte after the comma in every byte of a word, for finding bytes at or below the comma.
    private static let aboveComma: UInt64 = 0x2D2D_2D2D_2D2D_2D2D

    init(_ bytes: UnsafeRawBufferPointer, from position: Int = 0, atEnd: Bool) {
        self.bytes = bytes
        count = bytes.count
        self.atEnd = atEnd
        self.position = position
    }

    /// Skips the empty line at `position`: true if there was one, false if a record starts there,
    /// nil if that cannot be told before more input arrives.
    @inline(__always)
    mutating func skipBlankLine() -> Bool? {
        guard let length = lineEndLength(at: position) else { return nil }
        guard length > 0 else { return false }
        position += length
        lineEnds += 1
        return true
    }

    /// The field at `position`, with the comma or line end after it consumed.
    @inline(__always)
    mutating func nextField() -> Step {
        if position < count && bytes[position] == Self.quote { return quotedField() }
        let start = position
        var hasStrayQuote = false
        while position < count {
            // Eight bytes at a time up to the first byte at or below the comma: fields are short,
            // so one word usually reaches the end of the field.
            if position + 8 <= count {
                let word = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                let low = (word &- Self.aboveComma) & ~word & 0x8080_8080_8080_8080
                guard low != 0 else { position += 8; continue }
                // The lowest flagged byte is exact (borrows only run upwards).
                let skip = low.trailingZeroBitCount >> 3
                position += skip
                let byte = UInt8(truncatingIfNeeded: word >> UInt64(skip << 3))
                if byte == Self.comma {
                    // How most fields end: at a comma, consumed as `finishField` does.
                    position += 1
                    return .field(start: start, end: position - 1, hasDoubledQuotes: false, hasStrayQuote: hasStrayQuote, endsRecord: false)
                }
                if byte == Self.lineFeed || byte == Self.carriageReturn { break }
                if byte == Self.quote { hasStrayQuote = true }
                position += 1
                continue
            }
            let byte = bytes[position]
            // Comma, quote, CR and LF all sort at or below the comma; digits and letters above it.
            if byte > Self.comma { position += 1; continue }
            if byte == Self.comma || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            if byte == Self.quote { hasStrayQuote = true }
            position += 1
        }
        return finishField(start: start, end: position, hasDoubledQuotes: false, hasStrayQuote: hasStrayQuote)
    }

    // MARK: - Quoted fields

    private mutating func quotedField() -> Step {
        let quoteAt = position
        position += 1
        let start = position
        var hasDoubledQuotes = false
        var linesInside = 0
        while true {
            if position - start > Self.maximumQuotedBytes {
                return skipLine(after: quoteAt, problem: "unterminated quoted field: the quote opened on this line is not closed within 1 MiB")
            }
            if linesInside > Self.maximumQuotedLines {
                return skipLine(after: quoteAt, problem: "unterminated quoted field: the quote opened on this line is not closed within \(Self.maximumQuotedLines) lines")
            }
            guard position < count else {
                guard atEnd else { return .incomplete }
                return skipLine(after: quoteAt, problem: "unterminated quoted field: the quote opened on this line is never closed")
            }
            let byte = bytes[position]
            if byte == Self.quote {
                if position + 1 < count {
                    if bytes[position + 1] == Self.quote {
                        hasDoubledQuotes = true
                        position += 2
                        continue
                    }
                } else if !atEnd {
                    // A doubled quote or a closing one: the next byte tells.
                    return .incomplete
                }
                break
            }
            if byte == Self.lineFeed
                || (byte == Self.carriageReturn && (position + 1 == count || bytes[position + 1] != Self.lineFeed)) {
                linesInside += 1
            }
            position += 1
        }
        let end = position
        position += 1
        if position < count && bytes[position] != Self.comma && lineEndLength(at: position) == 0 {
            let problem = linesInside == 0
                ? "unexpected character after a closing quote"
                : "text after the closing quote of a field that opened on this line and runs over \(linesInside + 1) lines (a stray quote?)"
            return skipLine(after: quoteAt, problem: problem)
        }
        let step = finishField(start: start, end: end, hasDoubledQuotes: hasDoubledQuotes, hasStrayQuote: false)
        if case .field = step { lineEnds += linesInside }
        return step
    }

    /// Ends the record at the first line end after the quote at `quoteAt`; what lies between is dropped.
    private mutating func skipLine(after quoteAt: Int, problem: String) -> Step {
        let line = lineEnds + 1
        var index = quoteAt + 1
        while index < count {
            guard let length = lineEndLength(at: index) else { return .incomplete }
            if length > 0 {
                position = index + length
                lineEnds += 1
                return .malformed(line: line, problem: problem)
            }
            index += 1
        }
        guard atEnd else { return .incomplete }
        position = count
        return .malformed(line: line, problem: problem)
    }

    // MARK: - Field and line ends

    /// Consumes what follows a field, which ends at a comma, a line end or the end of the bytes.
    @inline(__always)
    private mutating func finishField(start: Int, end: Int, hasDoubledQuotes: Bool, hasStrayQuote: Bool) -> Step {
        guard position < count else {
            guard atEnd else { return .incomplete }
            return .field(start: start, end: end, hasDoubledQuotes: hasDoubledQuotes, hasStrayQuote: hasStrayQuote, endsRecord: true)
        }
        if bytes[position] == Self.comma {
            position += 1
            return .field(start: start, end: end, hasDoubledQuotes: hasDoubledQuotes, hasStrayQuote: hasStrayQuote, endsRecord: false)
        }
        // Neither a comma nor the end: a line end, which unquoted fields stop at and quoted ones
        // were checked to be followed by.
        guard let length = lineEndLength(at: position) else { return .incomplete }
        position += length
        lineEnds += 1
        return .field(start: start, end: end, hasDoubledQuotes: hasDoubledQuotes, hasStrayQuote: hasStrayQuote, endsRecord: true)
    }

    /// The length of the line end at `index`: 1 for LF, 2 for CR LF, 1 for a CR alone (old Mac
    /// files), 0 for anything else; nil when a carriage return ends the bytes and more input follows
    /// (a line feed may come next).
    @inline(__always)
    private func lineEndLength(at index: Int) -> Int? {
        let byte = bytes[index]
        if byte == Self.lineFeed { return 1 }
        guard byte == Self.carriageReturn else { return 0 }
        if index + 1 < count { return bytes[index + 1] == Self.lineFeed ? 2 : 1 }
        return atEnd ? 1 : nil
    }
}
