import ChurnQuery

/// Renders a two-dimension result as a grid whose cells are shaded by value: background colours
/// on a colour terminal, a shade character (░▒▓█) after the value otherwise.
struct HeatmapRenderer {
    var style: TerminalStyle

    /// Light to dark, yellow to red, in the 256-colour palette.
    static let palette = [230, 229, 222, 215, 209, 203, 197, 161]
    static let shades = ["░", "▒", "▓", "█"]

    /// A grid: the corner label, the column labels, and rows of (label, cells); a nil cell is
    /// left blank (a cohort's months past the data's end). An optional side column after the
    /// labels is not shaded (a cohort's size).
    struct Grid {
        var corner: String
        var columnLabels: [String]
        var rows: [(label: String, cells: [ResultValue?])]
        var format: ResultColumn.Format
        var side: (header: String, texts: [String])? = nil
    }

    /// The grid a result shows as: a `.grid` result as it is, or two dimensions and a measure
    /// pivoted (first dimension down, second across, first measure in the cells). Nil otherwise.
    static func grid(of result: QueryResult) -> Grid? {
        let dimensions = result.columns.indices.filter { result.columns[$0].role == .dimension }
        let measures = result.columns.indices.filter { result.columns[$0].role == .measure }
        if result.presentation == .grid, result.columns.count >= 2 {
            let format = result.columns.dropFirst().first { $0.role == .measure }?.format ?? .number
            return Grid(corner: result.columns[0].name, columnLabels: result.columns.dropFirst().map(\.name),
                        rows: result.rows.map { (label(of: $0[0]), $0.dropFirst().map { Optional($0) }) }, format: format)
        }
        guard dimensions.count == 2, let measure = measures.first else { return nil }
        var rowLabels: [String] = []
        var columnLabels: [String] = []
        var values: [String: [String: ResultValue]] = [:]
        for row in result.rows {
            let down = label(of: row[dimensions[0]])
            let across = label(of: row[dimensions[1]])
            if values[down] == nil { rowLabels.append(down) }
            if !columnLabels.contains(across) { columnLabels.append(across) }
            values[down, default: [:]][across] = row[measure]
        }
        return Grid(corner: "\(result.columns[dimensions[0]].name) \\ \(result.columns[dimensions[1]].name)",
                    columnLabels: columnLabels,
                    rows: rowLabels.map { down in (down, columnLabels.map { values[down]?[$0] ?? ResultValue.null }) },
                    format: result.columns[measure].format)
    }

    /// A COHORT result as its triangle: a row per cohort (and member), its size beside, a
    /// column per month since start, blank past the data's end.
    static func cohortGrid(of result: QueryResult, layout: CohortLayout) -> Grid {
        var order: [[ResultValue]] = []
        var sizes: [[ResultValue]: ResultValue] = [:]
        var cells: [[ResultValue]: [Int: ResultValue]] = [:]
        for row in result.rows {
            let key = [row[0]] + (layout.splitColumn.map { [row[$0]] } ?? [])
            if cells[key] == nil { order.append(key) }
            sizes[key] = row[layout.accountsColumn]
            if case let .integer(k) = row[layout.monthsColumn] { cells[key, default: [:]][Int(k)] = row[layout.valueColumn] }
        }
        let corner = ([result.columns[0].name] + (layout.splitColumn.map { [result.columns[$0].name] } ?? [])).joined(separator: " · ")
            + " \\ months"
        let rows = order.map { key in
            (label: key.map { label(of: $0) }.joined(separator: " · "), cells: (0...layout.months).map { cells[key]?[$0] })
        }
        let texts = order.map { ValueText.display(sizes[$0] ?? .null, format: .count) }
        return Grid(corner: corner, columnLabels: (0...layout.months).map(String.init), rows: rows,
                    format: result.columns[layout.valueColumn].format, side: (header: "accounts", texts: texts))
    }

    private static func label(of value: ResultValue) -> String {
        ValueText.display(value, format: .text)
    }

    func render(_ grid: Grid) -> String {
        let numbers = grid.rows.flatMap { $0.cells.compactMap { $0?.doubleValue } }
        let low = numbers.min() ?? 0
        let high = numbers.max() ?? 0
        func level(_ value: Double) -> Double { high > low ? (value - low) / (high - low) : 0.5 }

        let marker = style.colour ? 0 : 2
        let texts = grid.rows.map { $0.cells.map { $0.map { ValueText.display($0, format: grid.format) } ?? "" } }
        let labelWidth = max(grid.corner.count, grid.rows.map(\.label.count).max() ?? 0)
        var widths = grid.columnLabels.map(\.count)
        for row in texts {
            for (index, text) in row.enumerated() { widths[index] = max(widths[index], text.count + marker) }
        }

        func padLeft(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func padRight(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

        let sideWidth = grid.side.map { side in max(side.header.count, side.texts.map(\.count).max() ?? 0) } ?? 0
        var lines: [String] = []
        lines.append(([style.bold(padRight(grid.corner, labelWidth))] + (grid.side.map { [style.bold(padLeft($0.header, sideWidth))] } ?? [])
                      + grid.columnLabels.enumerated().map { style.bold(padLeft($1, widths[$0])) }).joined(separator: " "))
        for (rowIndex, row) in grid.rows.enumerated() {
            var line = [padRight(row.label, labelWidth)]
            if let side = grid.side { line.append(padLeft(side.texts[rowIndex], sideWidth)) }
            for (index, value) in row.cells.enumerated() {
                let text = texts[rowIndex][index]
                guard let value else {
                    line.append(String(repeating: " ", count: widths[index]))
                    continue
                }
                guard let number = value.doubleValue else {
                    line.append(style.dim(padLeft(text, widths[index])))
                    continue
                }
                let position = level(number)
                if style.colour {
                    let colour = Self.palette[min(Self.palette.count - 1, Int(position * Double(Self.palette.count)))]
                    line.append(style.background(padLeft(text, widths[index]), colour: colour))
                } else {
                    let shade = Self.shades[min(Self.shades.count - 1, Int(position * Double(Self.shades.count)))]
                    line.append(padLeft(text + " " + shade, widths[index]))
                }
            }
            // Blank cells at the end of a row (a cohort's months past the data) leave no trailing spaces.
            var text = line.joined(separator: " ")
            while text.hasSuffix(" ") { text.removeLast() }
            lines.append(text)
        }
        let range = "\(ValueText.display(.double(low), format: grid.format)) to \(ValueText.display(.double(high), format: grid.format))"
        let legend = style.colour
            ? Self.palette.map { style.background(" ", colour: $0) }.joined()
            : Self.shades.joined()
        lines.append(style.dim("scale: \(legend) \(range)"))
        return lines.joined(separator: "\n")
    }
}
