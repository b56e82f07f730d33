#if Spark
/// What a completed `execute` call received; returned only after the result stream ended normally.
package struct ExecutionSummary: Sendable, Equatable {
    /// The operation id sent with the request (what Interrupt and the server's logs name).
    package var operationID: String
    package var batchCount: Int
    /// The sum of the batches' `row_count`.
    package var rowCount: Int64
    /// Arrow bytes received, all batches together.
    package var byteCount: Int
    /// Whether the server sent its ResultComplete marker (Spark does so only for reattachable executions).
    package var sawResultComplete: Bool
    package var elapsed: Duration

    package init(operationID: String, batchCount: Int = 0, rowCount: Int64 = 0, byteCount: Int = 0, sawResultComplete: Bool = false, elapsed: Duration = .zero) {
        self.operationID = operationID
        self.batchCount = batchCount
        self.rowCount = rowCount
        self.byteCount = byteCount
        self.sawResultComplete = sawResultComplete
        self.elapsed = elapsed
    }
}
#endif
