import ChurnQuery

extension QueryResult {
    /// The result without the columns at `dropped`, its layout pointing at the same columns.
    func removingColumns(_ dropped: Set<Int>) -> QueryResult {
        guard !dropped.isEmpty else { return self }
        let kept = columns.indices.filter { !dropped.contains($0) }
        var view = self
        view.columns = kept.map { columns[$0] }
        view.rows = rows.map { row in kept.map { row[$0] } }
        func moved(_ index: Int) -> Int? { kept.firstIndex(of: index) }
        switch presentation {
        case let .ranked(barColumn):
            view.presentation = moved(barColumn).map { .ranked(barColumn: $0) } ?? .table
        case let .findings(layout):
            let cell = moved(layout.cellColumn) ?? 0
            let firstCondition = kept.firstIndex { layout.conditionColumns.contains($0) } ?? cell + 1
            let conditions = kept.filter { layout.conditionColumns.contains($0) }.count
            view.presentation = .findings(FindingsLayout(
                cellColumn: cell, conditionColumns: firstCondition..<(firstCondition + conditions),
                barColumn: moved(layout.barColumn) ?? -1, readingColumn: moved(layout.readingColumn) ?? -1))
        case .cohorts, .comparison:
            // The triangle and the per-measure tables need every column of their layout.
            view.presentation = .table
        case .table, .grid, .listing:
            break
        }
        return view
    }

    /// The result as people read it: a finding's cell once, as text, without the column per
    /// searched dimension that programs get.
    var forPeople: QueryResult {
        guard case let .findings(layout) = presentation else { return self }
        return removingColumns(Set(layout.conditionColumns))
    }
}
