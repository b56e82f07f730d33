#if Spark
import Foundation

/// A small bounded queue from the task reading a gRPC stream to the thread blocked in `execute`.
///
/// The reader suspends (never blocks a thread) while `capacity` elements wait, so a slow consumer
/// slows the stream down through HTTP/2 flow control instead of piling Arrow batches up in memory.
/// The consumer waits with a timeout so it can poll for cancellation.
final class StreamHandoff<Element: Sendable>: @unchecked Sendable {
    enum Received {
        case element(Element)
        case finished((any Error)?)
        case timedOut
    }

    private let condition = NSCondition()
    private let capacity: Int
    // Guarded by `condition`.
    private var buffer: [Element] = []
    private var head = 0
    private var ending: (any Error)??
    private var waitingProducer: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    // MARK: - Producer (async)

    /// Queues `element`, then suspends while the queue is full; returns early when the task is cancelled.
    func send(_ element: Element) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                condition.lock()
                buffer.append(element)
                condition.signal()
                if buffer.count - head >= capacity && !Task.isCancelled {
                    waitingProducer = continuation
                    condition.unlock()
                } else {
                    condition.unlock()
                    continuation.resume()
                }
            }
        } onCancel: {
            condition.lock()
            let producer = waitingProducer
            waitingProducer = nil
            condition.unlock()
            producer?.resume()
        }
    }

    /// Ends the stream: nil for a normal end, else the error. Elements already queued are still delivered.
    func finish(_ error: (any Error)?) {
        condition.lock()
        if ending == nil { ending = .some(error) }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Consumer (blocking)

    func receive(waitingAtMost limit: TimeInterval) -> Received {
        let deadline = Date(timeIntervalSinceNow: limit)
        condition.lock()
        defer { condition.unlock() }
        while head == buffer.count && ending == nil {
            if !condition.wait(until: deadline) { break }
        }
        if head < buffer.count {
            let element = buffer[head]
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            }
            if buffer.count - head < capacity, let producer = waitingProducer {
                waitingProducer = nil
                producer.resume()
            }
            return .element(element)
        }
        if let ending { return .finished(ending) }
        return .timedOut
    }
}
#endif
