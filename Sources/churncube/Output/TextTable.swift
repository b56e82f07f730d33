import ChurnQuery

/// A plain aligned text table: a header, rows, optional separators; chosen columns right-aligned.
struct TextTable {
    let header: [String]
    let rightAligned: [Bool]
    private var rows: [[String]?] = []

    init(header: [String], rightAligned: [Bool]) {
        self.header = header
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }
    mutating func addSeparator() { rows.append(nil) }

    func render() -> String {
        var widths = header.map(\.count)
        for case let row? in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned[index] ? padding + cell : cell + padding
            }.joined(separator: "  ").replacing(/\s+$/, with: "")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map { $0.map(line) ?? rule }).joined(separator: "\n")
    }
}

/// Number formatting for people: thousands separators, byte sizes.
enum NumberText {
    static func grouped(_ value: Int) -> String { Thousands.grouped(value) }

    /// A count and its noun, singular for one: `1 row`, `2,000 rows`, `1 bad row`.
    static func count(_ value: Int, _ noun: String) -> String {
        "\(grouped(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    static func bytes(_ count: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(count) B" : String(format: value < 10 ? "%.2f %@" : value < 100 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }
}
