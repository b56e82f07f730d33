/// A strict RFC 4180 reader for what the batch mode writes: records of fields separated by
/// commas, ending in a line break; a field in double quotes may hold commas, quotes (doubled) and
/// line breaks; a quote anywhere else is an error. An empty line ends one table and starts the
/// next, and every record of a table has as many fields as its header.
enum StrictCSV {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// A table: its header, then its records.
    struct Table {
        var header: [String]
        var records: [[String]]

        /// The field of `column` in each record.
        func column(_ name: String) throws -> [String] {
            guard let index = header.firstIndex(of: name) else { throw Malformed(description: "no column '\(name)' in \(header)") }
            return records.map { $0[index] }
        }
    }

    /// Every table of `text`, in order.
    static func tables(_ text: String) throws -> [Table] {
        var tables: [Table] = []
        var records: [[String]] = []
        func finishTable() throws {
            guard let header = records.first else { return }
            for (number, record) in records.enumerated() where record.count != header.count {
                throw Malformed(description: "record \(number + 1) of table \(tables.count + 1) has \(record.count) fields, its header \(header.count)")
            }
            tables.append(Table(header: header, records: Array(records.dropFirst())))
            records = []
        }

        let characters = Array(text)
        var index = 0
        func atLineEnd() -> Int? {
            if index < characters.count, characters[index] == "\n" { return 1 }
            if index + 1 < characters.count, characters[index] == "\r", characters[index + 1] == "\n" { return 2 }
            return nil
        }
        while index < characters.count {
            if let width = atLineEnd() {
                // An empty line: the table before it is complete.
                guard !records.isEmpty else { throw Malformed(description: "an empty line where a table should start (character \(index))") }
                try finishTable()
                index += width
                continue
            }
            var record: [String] = []
            var field = ""
            while true {
                if index < characters.count, characters[index] == "\"" {
                    index += 1
                    while true {
                        guard index < characters.count else { throw Malformed(description: "a quoted field is not closed") }
                        if characters[index] == "\"" {
                            if index + 1 < characters.count, characters[index + 1] == "\"" {
                                field.append("\"")
                                index += 2
                                continue
                            }
                            index += 1
                            break
                        }
                        field.append(characters[index])
                        index += 1
                    }
                } else {
                    while index < characters.count, characters[index] != ",", atLineEnd() == nil {
                        guard characters[index] != "\"", characters[index] != "\r" else {
                            throw Malformed(description: "a quote or a carriage return inside an unquoted field at character \(index)")
                        }
                        field.append(characters[index])
                        index += 1
                    }
                }
                record.append(field)
                field = ""
                if index < characters.count, characters[index] == "," {
                    index += 1
                    continue
                }
                guard let width = atLineEnd() else {
                    throw Malformed(description: index < characters.count
                        ? "'\(characters[index])' after a closing quote at character \(index)" : "the last record does not end in a line break")
                }
                index += width
                break
            }
            records.append(record)
        }
        try finishTable()
        return tables
    }
}
