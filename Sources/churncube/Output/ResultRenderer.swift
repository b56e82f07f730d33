import ChurnQuery

/// Picks the renderer for the output mode and the result's presentation.
struct ResultRenderer {
    var mode: OutputMode
    var style: TerminalStyle
    /// Cut long tables (on a terminal only).
    var truncates: Bool
    /// The terminal's width, which hot-spot findings are laid out for; nil when the output is
    /// not a terminal.
    var width: Int? = nil

    /// What printing a result writes: the body for the output, and for csv the caption a result
    /// carries above its table (HOTSPOTS' count of cells, PIVOT's title), which goes to standard
    /// error so the output holds nothing but tables.
    struct Rendered: Equatable {
        var body: String
        var note: String?
    }

    /// Whether consecutive results are set apart by an empty line: every mode but json, whose
    /// results are one line each.
    var separatesResults: Bool { mode != .json }

    func render(_ result: QueryResult, statement: String? = nil) -> Rendered {
        switch mode {
        case .csv:
            return Rendered(body: CSVRenderer.render(result), note: result.columns.isEmpty ? nil : result.text)
        case .json: return Rendered(body: JSONRenderer.render(result, statement: statement))
        case .markdown: return Rendered(body: MarkdownRenderer.render(result.forPeople))
        case .line: return Rendered(body: LineRenderer.render(result.forPeople))
        case .table, .heatmap:
            if case let .cohorts(layout) = result.presentation {
                guard !result.rows.isEmpty else { return Rendered(body: result.text ?? "") }
                let heatmap = HeatmapRenderer(style: style).render(HeatmapRenderer.cohortGrid(of: result, layout: layout))
                return Rendered(body: result.text.map { $0 + "\n" + heatmap } ?? heatmap)
            }
            let wantsGrid = mode == .heatmap || result.presentation == .grid
            if wantsGrid, let grid = HeatmapRenderer.grid(of: result) {
                let heatmap = HeatmapRenderer(style: style).render(grid)
                return Rendered(body: result.text.map { $0 + "\n" + heatmap } ?? heatmap)
            }
            if case let .comparison(groups) = result.presentation {
                return Rendered(body: comparisonTables(result, groups: groups))
            }
            if case .findings = result.presentation {
                return Rendered(body: FindingsRenderer(style: style, width: width).render(result.forPeople))
            }
            let table = TableRenderer(style: style, truncates: truncates).render(result.forPeople)
            if mode == .heatmap && !result.columns.isEmpty {
                return Rendered(body: table + "\n" + style.dim("(a heat map needs two dimension columns and a measure)"))
            }
            return Rendered(body: table)
        }
    }

    /// A COMPARE result as one table per measure, the dimensions beside each, short headers.
    private func comparisonTables(_ result: QueryResult, groups: [ComparisonGroup]) -> String {
        let dimensions = result.columns.indices.filter { column in !groups.contains { $0.columns.contains(column) } }
        var tables: [String] = []
        for group in groups {
            var table = QueryResult(columns: dimensions.map { result.columns[$0] }, rows: [])
            for (offset, column) in group.columns.enumerated() {
                var header = result.columns[column]
                header.name = group.shortNames[offset]
                table.columns.append(header)
            }
            table.rows = result.rows.map { row in dimensions.map { row[$0] } + group.columns.map { row[$0] } }
            tables.append(style.bold(group.measure) + "\n" + TableRenderer(style: style, truncates: truncates).render(table))
        }
        let body = tables.joined(separator: "\n\n")
        return result.text.map { $0 + "\n" + body } ?? body
    }
}
