/// What Spark says about a failed request, gathered from the gRPC status and its `ErrorInfo`.
///
/// The gRPC status message is the error's text (Spark may shorten it to fit a header); the error
/// class (`TABLE_OR_VIEW_NOT_FOUND`) and SQL state come from `ErrorInfo.metadata`.
package struct SparkErrorDetails: Sendable, Equatable {
    package var message: String
    package var errorClass: String?
    package var sqlState: String?
    /// The JVM exception class, e.g. `org.apache.spark.sql.AnalysisException`.
    package var exceptionClass: String?
    /// The id under which FetchErrorDetails would return the full error and its causes.
    package var errorID: String?

    package init(message: String, errorClass: String? = nil, sqlState: String? = nil, exceptionClass: String? = nil, errorID: String? = nil) {
        self.message = message
        self.errorClass = errorClass
        self.sqlState = sqlState
        self.exceptionClass = exceptionClass
        self.errorID = errorID
    }

    /// Details from the transport's status message and, when present, the `grpc-status-details-bin` bytes.
    ///
    /// Undecodable details bytes are ignored: the plain message must still reach the user.
    package init(statusMessage: String, statusDetails: [UInt8]?) {
        self.init(message: statusMessage)
        guard let statusDetails, let status = try? GoogleRPCStatus(decoding: statusDetails) else { return }
        if message.isEmpty { message = status.message }
        guard let info = status.errorInfo else { return }
        errorClass = info.metadata["errorClass"].flatMap { $0.isEmpty ? nil : $0 }
        sqlState = info.metadata["sqlState"].flatMap { $0.isEmpty ? nil : $0 }
        exceptionClass = info.reason.isEmpty ? nil : info.reason
        errorID = info.metadata["errorId"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
