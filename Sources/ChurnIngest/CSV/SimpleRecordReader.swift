/// Reads the first records of a buffer as strings: the header, and the sample rows that schema
/// inference looks at. Slow and simple on purpose; the bulk of a file goes through `BlockParser`.
///
/// It keeps only its position: each call is given the buffer, which may have grown in between.
struct SimpleRecordReader {
    private(set) var offset = 0
    private(set) var line = 1
    private var checkedByteOrderMark = false

    /// The next complete record of `bytes` from the current position, or nil when the buffer
    /// holds no further complete record.
    mutating func next(in bytes: UnsafeRawBufferPointer, atEnd: Bool) -> [String]? {
        if !checkedByteOrderMark {
            // A UTF-8 byte order mark is not part of the first column's name.
            if bytes.count < 3 && !atEnd { return nil }
            checkedByteOrderMark = true
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
        }
        var fields: [String] = []
        var field: [UInt8] = []
        var position = offset
        var inQuotes = false
        var newlines = 0
        // Skip blank lines.
        while position < bytes.count && (bytes[position] == 0x0A || bytes[position] == 0x0D) {
            if bytes[position] == 0x0A { newlines += 1 }
            position += 1
        }
        guard position < bytes.count else { return nil }
        while position < bytes.count {
            let byte = bytes[position]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") {
                        field.append(byte); position += 2; continue
                    }
                    inQuotes = false
                } else {
                    if byte == 0x0A { newlines += 1 }
                    field.append(byte)
                }
                position += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inQuotes = true
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self)); field.removeAll()
            case 0x0A:
                fields.append(String(decoding: field, as: UTF8.self))
                offset = position + 1
                line += newlines + 1
                return fields
            case 0x0D: break
            default: field.append(byte)
            }
            position += 1
        }
        guard atEnd && !inQuotes else { return nil }
        fields.append(String(decoding: field, as: UTF8.self))
        offset = position
        line += newlines
        return fields
    }
}
