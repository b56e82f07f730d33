import ChurnQuery
import Foundation

/// Renders a result as aligned columns for people: formatted values, numbers on the right,
/// `(all)` for rolled-up cells, a bar beside ranked or single-measure rows, long results cut
/// (but never a listing such as DESCRIBE's).
struct TableRenderer {
    var style: TerminalStyle
    /// Cut results of more than `truncationThreshold` rows to the first `headRowCount` and the
    /// last `tailRowCount` (the shell does it on a terminal only).
    var truncates: Bool

    static let truncationThreshold = 40
    static let headRowCount = 20
    static let tailRowCount = 10
    static let barWidth = 20

    func render(_ result: QueryResult) -> String {
        var parts: [String] = []
        if let text = result.text { parts.append(text) }
        guard !result.columns.isEmpty else { return parts.joined(separator: "\n") }

        let columns = result.columns
        let names = ColumnHeaders.forPeople(result)
        let numeric = columns.indices.map { index in ValueText.isNumeric(columns[index], values: result.rows.map { $0[index] }) }
        let barColumn = Self.barColumn(of: result)
        let barValues = barColumn.map { column in result.rows.compactMap { $0[column].doubleValue } } ?? []
        let barOrigin = Self.barOrigin(barValues)
        let barScale = (barValues.map(\.magnitude).max() ?? 0) - barOrigin

        var shown: [Int] = Array(result.rows.indices)
        var omitted = 0
        if truncates && result.presentation != .listing && result.rows.count > Self.truncationThreshold {
            shown = Array(0..<Self.headRowCount) + Array((result.rows.count - Self.tailRowCount)..<result.rows.count)
            omitted = result.rows.count - shown.count
        }

        let cells: [[String]] = shown.map { row in
            columns.indices.map { ValueText.display(result.rows[row][$0], format: columns[$0].format) }
        }
        var widths = names.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }

        func pad(_ text: String, _ index: Int) -> String {
            let padding = String(repeating: " ", count: max(0, widths[index] - text.count))
            return numeric[index] ? padding + text : text + padding
        }
        func join(_ cells: [String]) -> String {
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }

        // The bar stands right after the column it draws, so wide text columns after it
        // (a hot-spot's reading) do not push it out of sight.
        func withBar(_ cells: [String], _ bar: String) -> [String] {
            guard let barColumn else { return cells }
            var cells = cells
            cells.insert(bar + String(repeating: " ", count: max(0, Self.barWidth - bar.count)), at: barColumn + 1)
            return cells
        }
        let blankBar = String(repeating: " ", count: Self.barWidth)
        // Bars that do not start at 0 say where they start.
        var barHeader = blankBar
        if let barColumn, barOrigin != 0 {
            let label = "bars from " + ValueText.display(.double(barOrigin), format: columns[barColumn].format)
            barHeader = style.dim(label + String(repeating: " ", count: max(0, Self.barWidth - label.count)))
        }

        var lines: [String] = []
        lines.append(join(withBar(columns.indices.map { style.bold(pad(names[$0], $0)) }, barHeader)))
        lines.append(join(withBar(widths.map { String(repeating: "-", count: $0) }, blankBar)))
        for (position, row) in shown.enumerated() {
            if omitted > 0 && position == Self.headRowCount {
                lines.append(style.dim("… \(NumberText.grouped(omitted)) more rows (use .mode csv or LIMIT)"))
            }
            let line = columns.indices.map { index -> String in
                let text = pad(cells[position][index], index)
                return result.rows[row][index].isNull ? style.dim(text) : text
            }
            var bar = ""
            if let barColumn, let value = result.rows[row][barColumn].doubleValue, barScale > 0 {
                let drawn = Self.bar(fraction: (value.magnitude - barOrigin) / barScale, width: Self.barWidth)
                let padded = drawn + String(repeating: " ", count: max(0, Self.barWidth - drawn.count))
                bar = value < 0 ? style.red(padded) : style.cyan(padded)
            }
            lines.append(join(withBar(line, bar)))
        }
        if result.rows.isEmpty { lines.append(style.dim("(no rows)")) }
        parts.append(lines.joined(separator: "\n"))
        return parts.joined(separator: "\n")
    }

    /// The column a bar is drawn for: the ranked column, or the only measure.
    static func barColumn(of result: QueryResult) -> Int? {
        switch result.presentation {
        case let .ranked(column) where result.columns.indices.contains(column): return column
        case let .findings(layout) where result.columns.indices.contains(layout.barColumn): return layout.barColumn
        default: break
        }
        let measures = result.columns.indices.filter { result.columns[$0].role == .measure }
        guard measures.count == 1, result.rows.count > 1 else { return nil }
        let column = measures[0]
        return result.rows.contains { $0[column].doubleValue != nil } ? column : nil
    }

    /// Where bars start: 0, unless the values are all positive and differ by less than a quarter
    /// of the largest (rates near 100%), where bars from 0 would all look alike; then a round
    /// value below the smallest, by a quarter of their spread, so the differences show.
    static func barOrigin(_ values: [Double]) -> Double {
        guard values.count > 1, let low = values.min(), let high = values.max(), low > 0, high.isFinite else { return 0 }
        let spread = high - low
        guard spread > 0, spread < high / 4 else { return 0 }
        let step = Foundation.pow(10, (Foundation.log10(spread)).rounded(.down))
        return max(0, ((low - spread / 4) / step).rounded(.down) * step)
    }

    /// A bar of `fraction` (0...1) of `width` cells, drawn in eighths.
    static func bar(fraction: Double, width: Int) -> String {
        let eighths = Int((min(max(fraction, 0), 1) * Double(width * 8)).rounded())
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let bar = String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
        return bar.isEmpty && fraction > 0 ? "▏" : bar
    }
}
