/// Reads the first records of a buffer as strings: the header, and the sample rows that schema
/// inference looks at. Slow and simple on purpose; the bulk of a file goes through `BlockParser`.
struct SimpleRecordReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int
    private(set) var line = 1

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        // A UTF-8 byte order mark is not part of the first column's name.
        if offset == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { self.offset = 3 }
    }

    /// The next complete record, or nil when the buffer holds no further complete record.
    mutating func next(atEnd: Bool) -> [String]? {
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
