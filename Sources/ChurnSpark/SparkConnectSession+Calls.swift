#if Spark
import GRPCCore
import ChurnSparkWire
import Synchronization

extension SparkConnectSession {
    /// Spark's Arrow batches can exceed gRPC's usual 4 MiB. The NIO transport applies the request
    /// size limit to inbound messages too, so both limits are raised.
    static let maxMessageBytes = 256 * 1024 * 1024

    func callOptions(timeout: Duration?) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = timeout
        // Fail at once when the connection is known to be down: the shell wants an answer, and
        // "connection refused" is the answer. A connection being set up is still waited for.
        options.waitForReady = false
        options.maxRequestMessageBytes = Self.maxMessageBytes
        options.maxResponseMessageBytes = Self.maxMessageBytes
        return options
    }

    /// Sends one request and passes each response message to `onMessage`, in the calling task.
    ///
    /// Uses the bidirectional entry point with a one-message producer so that `sent` records the
    /// moment the request reached an open stream.
    func stream(
        _ method: MethodDescriptor,
        request: [UInt8],
        timeout: Duration?,
        sent: RequestSentFlag,
        onMessage: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws {
        let streamingRequest = StreamingClientRequest<[UInt8]>(metadata: callMetadata) { writer in
            sent.set()
            try await writer.write(request)
        }
        try await client.bidirectionalStreaming(
            request: streamingRequest,
            descriptor: method,
            serializer: RawBytesSerializer(),
            deserializer: RawBytesDeserializer(),
            options: callOptions(timeout: timeout)
        ) { response in
            let contents = try response.accepted.get()
            for try await part in contents.bodyParts {
                if case .message(let bytes) = part {
                    try await onMessage(bytes)
                }
            }
        }
    }

    /// A request with exactly one response message, run to completion on the calling thread.
    func unary(_ method: MethodDescriptor, request: [UInt8], timeout: Duration) throws -> [UInt8] {
        let sent = RequestSentFlag()
        let replies = ReplyCollector()
        do {
            try BlockingBridge.run { [self] in
                try await stream(method, request: request, timeout: timeout, sent: sent) { replies.append($0) }
            }
        } catch {
            throw translate(error, requestSent: sent.isSet, timeout: timeout, method: method)
        }
        let messages = replies.messages
        guard messages.count == 1 else {
            throw SparkConnectError(.protocolError("\(method.method) answered with \(messages.count) messages instead of one"))
        }
        return messages[0]
    }

    /// Turns whatever a call threw into the error the analyst sees.
    func translate(_ error: any Error, requestSent: Bool, timeout: Duration?, method: MethodDescriptor) -> SparkConnectError {
        if let error = error as? SparkConnectError { return error }
        if let error = error as? ProtobufDecodingError { return SparkConnectError(.protocolError(error.description)) }
        if error is CancellationError { return SparkConnectError(.cancelled) }
        guard let rpcError = error as? RPCError else {
            let reason = "\(error)"
            return SparkConnectError(requestSent ? .lostConnection(endpoint: url.endpoint, reason: reason) : .unreachable(endpoint: url.endpoint, reason: reason))
        }
        let statusDetails = rpcError.metadata[binaryValues: "grpc-status-details-bin"].first(where: { _ in true })
        let details = SparkErrorDetails(statusMessage: rpcError.message, statusDetails: statusDetails)
        switch rpcError.code {
        case .deadlineExceeded:
            if requestSent, let timeout { return SparkConnectError(.timeout(timeout)) }
            return SparkConnectError(.unreachable(endpoint: url.endpoint, reason: "no answer within \(timeout.map { "\($0)" } ?? "the time limit")"))
        case .unavailable where details.errorClass == nil:
            let reason = Self.connectionFailureReason(rpcError)
            return SparkConnectError(requestSent ? .lostConnection(endpoint: url.endpoint, reason: reason) : .unreachable(endpoint: url.endpoint, reason: reason))
        case .cancelled where details.errorClass == nil:
            return SparkConnectError(.cancelled)
        case .unimplemented where details.errorClass == nil:
            return SparkConnectError(.protocolError("the server does not implement \(method.fullyQualifiedMethod)"))
        default:
            return SparkConnectError(.server(details))
        }
    }

    /// A short reason for a failed connection, from the innermost error gRPC wraps.
    static func connectionFailureReason(_ error: RPCError) -> String {
        let chain = "\(error)".lowercased()
        if chain.contains("refused") { return "connection refused" }
        if chain.contains("no route") { return "no route to host" }
        if chain.contains("resolve") || chain.contains("name or service not known") || chain.contains("nodename") {
            return "host name not found"
        }
        if chain.contains("timed out") || chain.contains("timeout") { return "connection timed out" }
        if chain.contains("reset by peer") { return "connection reset by the server" }
        if chain.contains("unexpectedly closed") || chain.contains("dropped unexpectedly") || chain.contains("connection closed") {
            return "the connection closed unexpectedly"
        }
        if chain.contains("ssl") || chain.contains("tls") || chain.contains("handshake") { return "TLS handshake failed" }
        // gRPC's words for a channel whose last connection failed and that is waiting to retry.
        if chain.contains("no subchannel") || chain.contains("isn't ready") {
            return "the connection is down and reconnecting has failed so far"
        }
        var innermost = error
        while let cause = innermost.cause as? RPCError { innermost = cause }
        return innermost.message
    }
}

/// The messages a unary call received, gathered from the task that read them.
private final class ReplyCollector: Sendable {
    private let storage = Mutex<[[UInt8]]>([])

    func append(_ message: [UInt8]) { storage.withLock { $0.append(message) } }

    var messages: [[UInt8]] { storage.withLock { $0 } }
}
#endif
