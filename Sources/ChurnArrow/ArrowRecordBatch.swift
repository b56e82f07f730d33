/// One record batch: a run of rows, one column per schema field.
package struct ArrowRecordBatch: Sendable {
    package var rowCount: Int
    package var columns: [ArrowColumn]

    package init(rowCount: Int, columns: [ArrowColumn]) {
        self.rowCount = rowCount
        self.columns = columns
    }
}
