/// Reads the first records of a buffer as strings: the header, and the sample rows that schema
/// inference looks at. Slow and simple on purpose; the bulk of a file goes through `BlockParser`,
/// and both find records with the same `RecordScanner`.
///
/// It keeps only its position: each call is given the buffer, which may have grown in between.
struct SimpleRecordReader {
    private(set) var offset = 0
    private(set) var line = 1
    /// The first record passed over because its quoting is broken: its line and the problem.
    private(set) var malformed: (line: Int, problem: String)?
    private var checkedByteOrderMark = false

    /// The next complete record of `bytes` from the current position, or nil when the buffer
    /// holds no further complete record. Records with broken quoting are passed over (see `malformed`).
    mutating func next(in bytes: UnsafeRawBufferPointer, atEnd: Bool) -> [String]? {
        if !checkedByteOrderMark {
            // A UTF-8 byte order mark is not part of the first column's name.
            if bytes.count < 3 && !atEnd { return nil }
            checkedByteOrderMark = true
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
        }
        while true {
            var scanner = RecordScanner(bytes, from: offset, atEnd: atEnd)
            while scanner.position < bytes.count {
                guard let blank = scanner.skipBlankLine() else { return nil }
                if !blank { break }
            }
            guard scanner.position < bytes.count else { return nil }
            var fields: [String] = []
            var broken = false
            fields: while true {
                switch scanner.nextField() {
                case .incomplete:
                    return nil
                case let .malformed(relativeLine, problem):
                    if malformed == nil { malformed = (line + relativeLine - 1, problem) }
                    broken = true
                    break fields
                case let .field(start, end, hasDoubledQuotes, _, endsRecord):
                    var field = Array(bytes[start..<end])
                    if hasDoubledQuotes { field = Self.unescaped(field) }
                    fields.append(String(decoding: field, as: UTF8.self))
                    if endsRecord { break fields }
                }
            }
            offset = scanner.position
            line += scanner.lineEnds
            if !broken { return fields }
        }
    }

    /// A quoted field's bytes with its doubled quotes halved.
    private static func unescaped(_ field: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < field.count {
            result.append(field[index])
            index += field[index] == UInt8(ascii: "\"") ? 2 : 1
        }
        return result
    }
}
