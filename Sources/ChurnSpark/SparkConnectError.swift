#if Spark
import ChurnSparkWire

/// A failure talking to a Spark Connect server, worded for the analyst who ran the query.
///
/// `kind` says what went wrong for code that reacts to it; `description` is the sentence to show.
package struct SparkConnectError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the context the description needs.
    package enum Kind: Sendable, Equatable {
        /// No connection could be made (refused, no route, name unknown, or no answer in time).
        case unreachable(endpoint: String, reason: String)
        /// The connection broke after the request was sent; any rows received were discarded.
        case lostConnection(endpoint: String, reason: String)
        /// The query ran longer than the caller allowed; the server was asked to stop it.
        case timeout(Duration)
        /// The caller cancelled; the server was asked to stop the query.
        case cancelled
        /// Spark refused or failed the request.
        case server(SparkErrorDetails)
        /// The server's reply broke the protocol (undecodable bytes, an unexpected message).
        case protocolError(String)
        /// The session was used after `close()`.
        case sessionClosed
    }

    package var kind: Kind

    package init(_ kind: Kind) {
        self.kind = kind
    }

    /// Whether only a new session can go on: the server restarted (`INVALID_HANDLE.SESSION_CHANGED`)
    /// or no longer knows this session, or the session was closed.
    package var requiresNewSession: Bool {
        switch kind {
        case .sessionClosed: return true
        case .server(let details): return details.errorClass?.hasPrefix("INVALID_HANDLE.") ?? false
        default: return false
        }
    }

    package var description: String {
        switch kind {
        case .unreachable(let endpoint, let reason):
            return "Cannot reach the Spark Connect server at \(endpoint) (\(reason)); check that it is running and that the URL is right."
        case .lostConnection(let endpoint, let reason):
            return "Lost the connection to the Spark Connect server at \(endpoint) while the query ran (\(reason)); no result was kept."
        case .timeout(let limit):
            return "The query did not finish within \(Self.format(limit)) and was stopped; raise the time limit or narrow the query."
        case .cancelled:
            return "The query was cancelled."
        case .server(let details):
            return "Spark reported an error: \(Self.analystMessage(details))"
        case .protocolError(let problem):
            return "The Spark Connect server sent a reply this client cannot read (\(problem)); is the URL pointing at a Spark Connect server?"
        case .sessionClosed:
            return "The Spark Connect session is closed; open a new one."
        }
    }

    /// Spark's message without the logical plan that analysis errors append after "line N pos M;".
    static func analystMessage(_ details: SparkErrorDetails) -> String {
        let lines = details.message.split(separator: "\n", omittingEmptySubsequences: false)
        var kept: [Substring] = []
        for (index, line) in lines.enumerated() {
            let next = index + 1 < lines.count ? lines[index + 1] : ""
            let startsPlan = line.hasPrefix("'") || next.trimmingPrefix(while: { $0 == " " || $0 == ":" }).hasPrefix("+-")
            if startsPlan && !kept.isEmpty { break }
            kept.append(line)
        }
        var message = kept.joined(separator: "\n").trimmingWhitespace()
        if message.hasSuffix(";") { message.removeLast() }
        if message.isEmpty { message = "no message" }
        if let errorClass = details.errorClass, !message.contains(errorClass) {
            message = "[\(errorClass)] " + message
        }
        return message
    }

    private static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\((seconds * 10).rounded() / 10) s"
    }
}

private extension Substring {
    func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        self.drop(while: predicate)
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
#endif
