import Dispatch

/// Reads the next buffer of input on another thread while the current one is parsed, so reading
/// (and decompressing a `.zst` file) no longer leaves the other cores waiting. The next buffer
/// starts with the current one's unparsed tail and is read until full or the input ends.
///
/// Neither buffer may change until `wait()` returns; the loader waits before it moves on,
/// also when it stops with an error.
final class BufferPrefetch: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private var outcome: Result<(filled: Int, atEnd: Bool), Error>?
    /// Touched by the waiting thread only.
    private var waited = false

    init(from input: InputSource, tail: UnsafeRawBufferPointer, into next: UnsafeMutableRawBufferPointer) {
        nonisolated(unsafe) let input = input
        nonisolated(unsafe) let tail = tail
        nonisolated(unsafe) let next = next
        DispatchQueue.global().async { [self] in
            outcome = Result {
                if tail.count > 0 { next.baseAddress!.copyMemory(from: tail.baseAddress!, byteCount: tail.count) }
                var filled = tail.count
                var atEnd = false
                while filled < next.count && !atEnd {
                    let count = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: next[filled...]))
                    if count == 0 { atEnd = true }
                    filled += count
                }
                return (filled, atEnd)
            }
            finished.signal()
        }
    }

    /// Bytes in the next buffer and whether the input ends there; rethrows a read error.
    func wait() throws -> (filled: Int, atEnd: Bool) {
        if !waited {
            finished.wait()
            waited = true
        }
        return try outcome!.get()
    }
}
