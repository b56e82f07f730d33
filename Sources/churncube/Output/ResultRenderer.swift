import ChurnQuery

/// Picks the renderer for the output mode and the result's presentation.
struct ResultRenderer {
    var mode: OutputMode
    var style: TerminalStyle
    /// Cut long tables (on a terminal only).
    var truncates: Bool

    func render(_ result: QueryResult) -> String {
        switch mode {
        case .csv: return CSVRenderer.render(result)
        case .json: return JSONRenderer.render(result)
        case .markdown: return MarkdownRenderer.render(result)
        case .line: return LineRenderer.render(result)
        case .table, .heatmap:
            let wantsGrid = mode == .heatmap || result.presentation == .grid
            if wantsGrid, let grid = HeatmapRenderer.grid(of: result) {
                let heatmap = HeatmapRenderer(style: style).render(grid)
                return result.text.map { $0 + "\n" + heatmap } ?? heatmap
            }
            let table = TableRenderer(style: style, truncates: truncates).render(result)
            if mode == .heatmap && !result.columns.isEmpty {
                return table + "\n" + style.dim("(a heat map needs two dimension columns and a measure)")
            }
            return table
        }
    }
}
