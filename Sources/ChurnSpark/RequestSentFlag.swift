#if Spark
import Synchronization

/// Set once the request message has been handed to an open HTTP/2 stream.
///
/// It separates "never reached the server" (unreachable) from "reached it, then the connection
/// broke" (lost connection): gRPC reports both as `unavailable`.
final class RequestSentFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() { flag.store(true, ordering: .releasing) }

    var isSet: Bool { flag.load(ordering: .acquiring) }
}
#endif
