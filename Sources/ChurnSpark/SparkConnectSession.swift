#if Spark
import Dispatch
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import ChurnSparkWire
import Synchronization

/// A Spark Connect session with a blocking API, for a synchronous shell.
///
/// Each call runs the gRPC work in a detached task and blocks the calling thread until it ends,
/// so call it from an ordinary thread, never from inside Swift concurrency. One gRPC client (one
/// HTTP/2 connection, reconnected when it breaks) serves all calls; calls from several threads at
/// once are safe. Results are never reported complete unless the server ended the stream normally.
package final class SparkConnectSession: Sendable {
    package static let defaultClientType = "churncube"

    package let url: SparkConnectURL
    /// The session id sent with every request (a fresh UUID unless the URL names one).
    package let sessionID: String
    package let connectTimeout: Duration

    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let callMetadata: Metadata
    let userContext: UserContext
    let clientType: String
    private let connections: Task<Void, Never>
    private let connectionsStopped: DispatchSemaphore
    private let state = Mutex(State())

    private struct State {
        var serverSideSessionID: String?
        var isClosed = false
        var sparkVersion: String?
    }

    /// Connects and checks that a Spark Connect server answers (it asks for the Spark version).
    ///
    /// Plaintext unless the URL asks for TLS (`use_ssl=true`, or a token to a non-loopback host);
    /// a token travels as `authorization: Bearer <token>`. Throws `SparkConnectError` when no
    /// server answers within `connectTimeout`.
    package init(url: SparkConnectURL, connectTimeout: Duration = .seconds(10)) throws {
        self.url = url
        self.sessionID = url.sessionID ?? UUID().uuidString.lowercased()
        self.connectTimeout = connectTimeout
        let environment = ProcessInfo.processInfo.environment
        self.userContext = UserContext(userID: url.userID ?? environment["USER"] ?? "churncube", userName: environment["USER"] ?? "")
        self.clientType = url.userAgent ?? Self.defaultClientType

        var metadata = Metadata()
        if let token = url.token {
            metadata.addString("Bearer \(token)", forKey: "authorization")
        }
        self.callMetadata = metadata

        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(
                target: .dns(host: url.host, port: url.port),
                transportSecurity: url.usesTLS ? .tls : .plaintext,
                config: .defaults { config in
                    // Reconnect soon after a server restart instead of backing off for minutes.
                    config.backoff = .init(initial: .milliseconds(500), max: .seconds(10), multiplier: 1.6, jitter: 0.2)
                    // Detect a server that vanished without closing the socket. Spark's gRPC server
                    // accepts pings this often (pyspark's own defaults).
                    config.connection.keepalive = .init(time: .seconds(60), timeout: .seconds(20), allowWithoutCalls: false)
                }
            )
        } catch {
            throw SparkConnectError(.unreachable(endpoint: url.endpoint, reason: "cannot set up the connection: \(error)"))
        }
        let client = GRPCClient(transport: transport)
        self.client = client
        let stopped = DispatchSemaphore(value: 0)
        self.connectionsStopped = stopped
        self.connections = Task.detached {
            try? await client.runConnections()
            stopped.signal()
        }

        do {
            let version = try requestSparkVersion(timeout: connectTimeout)
            state.withLock { $0.sparkVersion = version }
        } catch {
            shutDown()
            throw error
        }
    }

    deinit {
        client.beginGracefulShutdown()
        connections.cancel()
    }

    /// The server's Spark version, e.g. "4.3.0" (asked once, when the session opened).
    package func sparkVersion() throws -> String {
        try ensureOpen()
        if let known = state.withLock({ $0.sparkVersion }) { return known }
        let version = try requestSparkVersion(timeout: unaryTimeout)
        state.withLock { $0.sparkVersion = version }
        return version
    }

    /// Asks the server to stop an operation; returns the ids it actually interrupted (empty when
    /// the operation had already ended).
    @discardableResult
    package func interrupt(operationID: String, timeout: Duration = .seconds(5)) throws -> [String] {
        let request = InterruptRequest(header: header(), operationID: operationID)
        let reply = try unary(SparkConnectMethods.interrupt, request: request.encoded(), timeout: timeout)
        do {
            let response = try InterruptResponse(decoding: reply)
            observe(serverSideSessionID: response.serverSideSessionID)
            return response.interruptedIDs
        } catch {
            throw SparkConnectError(.protocolError("InterruptResponse: \(error)"))
        }
    }

    /// Releases the server-side session (best effort, at most 5 s) and closes the connection.
    /// Later calls throw `sessionClosed`; calling `close()` again does nothing.
    package func close() {
        let wasOpen = state.withLock { state in
            defer { state.isClosed = true }
            return !state.isClosed
        }
        guard wasOpen else { return }
        let release = ReleaseSessionRequest(header: header())
        _ = try? unary(SparkConnectMethods.releaseSession, request: release.encoded(), timeout: .seconds(5))
        shutDown()
    }

    // MARK: - Internals shared with the other files

    /// The time limit of small requests (version, interrupt) once the session is open.
    var unaryTimeout: Duration { max(connectTimeout, .seconds(30)) }

    func ensureOpen() throws {
        if state.withLock({ $0.isClosed }) { throw SparkConnectError(.sessionClosed) }
    }

    func header() -> RequestHeader {
        RequestHeader(
            sessionID: sessionID,
            userContext: userContext,
            clientType: clientType,
            observedServerSideSessionID: state.withLock { $0.serverSideSessionID }
        )
    }

    /// Remembers the server's id for this session, sent back so a restarted server refuses the
    /// session rather than silently starting a new one.
    func observe(serverSideSessionID: String) {
        guard !serverSideSessionID.isEmpty else { return }
        state.withLock { state in
            if state.serverSideSessionID == nil { state.serverSideSessionID = serverSideSessionID }
        }
    }

    private func requestSparkVersion(timeout: Duration) throws -> String {
        let request = AnalyzePlanRequest(sparkVersionFor: header())
        let reply = try unary(SparkConnectMethods.analyzePlan, request: request.encoded(), timeout: timeout)
        let response: AnalyzePlanResponse
        do {
            response = try AnalyzePlanResponse(decoding: reply)
        } catch {
            throw SparkConnectError(.protocolError("AnalyzePlanResponse: \(error)"))
        }
        observe(serverSideSessionID: response.serverSideSessionID)
        guard let version = response.sparkVersion else {
            throw SparkConnectError(.protocolError("the AnalyzePlan reply has no Spark version"))
        }
        return version
    }

    /// Stops the gRPC client: in-flight calls may finish for 5 s, then they are cancelled.
    private func shutDown() {
        client.beginGracefulShutdown()
        if !BlockingBridge.wait(connectionsStopped, atMost: .seconds(5)) {
            connections.cancel()
            _ = BlockingBridge.wait(connectionsStopped, atMost: .seconds(2))
        }
    }
}
#endif
