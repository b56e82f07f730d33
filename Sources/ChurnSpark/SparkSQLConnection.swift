#if Spark
import ChurnArrow
import ChurnQuery
import ChurnSparkWire
import Dispatch
import Foundation

/// A cube's remote engine on a Spark Connect server: statements go as SQL relations, answers
/// come back as Arrow batches, decoded and put together only once the stream ended normally.
final class SparkSQLConnection: SQLConnection, @unchecked Sendable {
    let dialect = SQLDialect.spark
    let table: String
    let location: String
    let progress = RemoteProgress()
    private let session: SparkConnectSession
    /// One statement at a time: the engine runs statements one after another, and a Spark
    /// Connect session keeps its operations in order too.
    private let lock = DispatchSemaphore(value: 1)

    /// How long a connection attempt may take before it is reported unreachable.
    static let connectTimeout: Duration = .seconds(20)

    init(url: String, table: String) throws {
        let parsed = try SparkConnectURL(parsing: url)
        session = try SparkConnectSession(url: parsed, connectTimeout: Self.connectTimeout)
        self.table = table
        let version = try session.sparkVersion()
        location = "Spark \(version) at \(parsed.endpoint)"
    }

    deinit { session.close() }

    func run(_ sql: String, cancellation: Cancellation) throws -> ArrowStream {
        lock.wait()
        defer { lock.signal() }
        var streams: [ArrowStream] = []
        do {
            let progress = self.progress
            _ = try session.execute(sql: sql, timeout: nil, isCancelled: { cancellation.isCancelled }, onBatch: { bytes in
                streams.append(try ArrowStreamReader.read(bytes))
            }, progress: { report in
                progress.report(completedTasks: Int(report.stages.reduce(0) { $0 + $1.completedTaskCount }),
                                totalTasks: Int(report.stages.reduce(0) { $0 + $1.taskCount }))
            })
        } catch let error as SparkConnectError {
            if case .cancelled = error.kind { throw QueryError.cancelled }
            // An error the compiled SQL raised on purpose carries the engine's own message.
            if case let .server(details) = error.kind, let marker = details.message.range(of: SQLDialect.raisedErrorPrefix) {
                var message = details.message[marker.upperBound...]
                if let end = message.range(of: " SQLSTATE") { message = message[..<end.lowerBound] }
                throw QueryError(String(message).trimmingCharacters(in: .whitespacesAndNewlines), at: .synthesized)
            }
            throw QueryError("\(error)", at: .synthesized)
        } catch let error as ArrowError {
            throw QueryError("Spark's answer could not be read: \(error)", at: .synthesized)
        }
        guard let first = streams.first else {
            throw QueryError("Spark answered without a result (no Arrow batch, not even its schema)", at: .synthesized)
        }
        for stream in streams.dropFirst() where stream.schema != first.schema {
            throw QueryError("Spark's answer changed its columns from one batch to the next", at: .synthesized)
        }
        return ArrowStream(schema: first.schema, batches: streams.flatMap(\.batches))
    }
}
#endif
