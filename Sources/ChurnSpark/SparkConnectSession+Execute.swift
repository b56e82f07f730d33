#if Spark
import Dispatch
import Foundation
import GRPCCore
import ChurnSparkWire

extension SparkConnectSession {
    /// Arrow batches that may wait between the stream and `onBatch`.
    static let handoffCapacity = 4
    /// How often the waiting thread checks `isCancelled`.
    static let cancellationPollInterval: TimeInterval = 0.1

    /// Runs one SQL statement and hands each Arrow batch's bytes (a whole Arrow IPC stream) to
    /// `onBatch`, on the calling thread, as they arrive.
    ///
    /// Returns only after the server ended the stream normally; any failure throws and the batches
    /// already delivered must be discarded by the caller. The execution is not reattachable, so the
    /// normal end of the stream is the end of the result (Spark sends ResultComplete only to
    /// reattachable executions; when one arrives it is noted in the summary).
    ///
    /// When `isCancelled` turns true (polled every 100 ms), when `onBatch` throws, or when
    /// `timeout` passes, the server is asked to interrupt the operation and the call throws.
    /// `progress` receives Spark's execution-progress reports.
    package func execute(
        sql: String,
        timeout: Duration? = nil,
        isCancelled: @Sendable () -> Bool = { false },
        onBatch: ([UInt8]) throws -> Void,
        progress: ((ExecutionProgress) -> Void)? = nil
    ) throws -> ExecutionSummary {
        try ensureOpen()
        let started = ContinuousClock.now
        let operationID = UUID().uuidString.lowercased()
        let request = ExecutePlanRequest(header: header(), sqlQuery: sql, operationID: operationID, reattachable: false)
        let handoff = StreamHandoff<ExecutePlanResponse>(capacity: Self.handoffCapacity)
        let sent = RequestSentFlag()
        let streamEnded = DispatchSemaphore(value: 0)

        let reader = Task.detached { [self] in
            do {
                try await stream(SparkConnectMethods.executePlan, request: request.encoded(), timeout: timeout, sent: sent) { bytes in
                    await handoff.send(try ExecutePlanResponse(decoding: bytes))
                }
                handoff.finish(nil)
            } catch {
                handoff.finish(error)
            }
            streamEnded.signal()
        }

        /// Stops the reader and, if the server has the request, the operation on the server.
        func abandon() {
            if sent.isSet {
                _ = try? interrupt(operationID: operationID, timeout: .seconds(5))
            }
            reader.cancel()
            _ = BlockingBridge.wait(streamEnded, atMost: .seconds(5))
        }

        var summary = ExecutionSummary(operationID: operationID)
        while true {
            if isCancelled() {
                abandon()
                throw SparkConnectError(.cancelled)
            }
            // gRPC queues a call while a connection is being set up; bound that wait here.
            if !sent.isSet && started.duration(to: .now) > connectTimeout {
                abandon()
                throw SparkConnectError(.unreachable(endpoint: url.endpoint, reason: "no connection within \(connectTimeout)"))
            }
            switch handoff.receive(waitingAtMost: Self.cancellationPollInterval) {
            case .timedOut:
                continue
            case .element(let response):
                observe(serverSideSessionID: response.serverSideSessionID)
                switch response.payload {
                case .arrowBatch(let batch):
                    if let chunks = batch.chunkCount, chunks > 1 {
                        abandon()
                        throw SparkConnectError(.protocolError("the server split an Arrow batch into \(chunks) chunks without being asked to"))
                    }
                    summary.batchCount += 1
                    summary.rowCount += batch.rowCount
                    summary.byteCount += batch.data.count
                    do {
                        try onBatch(batch.data)
                    } catch {
                        abandon()
                        throw error
                    }
                case .resultComplete:
                    summary.sawResultComplete = true
                case .executionProgress(let report):
                    progress?(report)
                case .none, .sqlCommandResult, .other:
                    continue
                }
            case .finished(nil):
                summary.elapsed = started.duration(to: .now)
                return summary
            case .finished(let error?):
                let failure = translate(error, requestSent: sent.isSet, timeout: timeout, method: SparkConnectMethods.executePlan)
                if case .timeout = failure.kind {
                    // The deadline ended our stream, not the server's work.
                    _ = try? interrupt(operationID: operationID, timeout: .seconds(5))
                }
                throw failure
            }
        }
    }
}
#endif
