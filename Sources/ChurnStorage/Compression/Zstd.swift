import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error reported by libzstd, with the library's own description.
package struct ZstdError: Error, CustomStringConvertible, Equatable {
    /// The libzstd error code (`ZSTD_ErrorCode`), 0 when the error is ChurnCube's own check.
    package let code: Int
    package let description: String

    init(returnCode: Int) {
        self.code = Int(ZSTD_getErrorCode(returnCode).rawValue)
        self.description = "zstd: " + String(cString: ZSTD_getErrorName(returnCode))
    }

    package init(_ message: String) {
        self.code = 0
        self.description = "zstd: " + message
    }
}

/// The only door to libzstd: one-shot frame compression and decompression of byte buffers.
///
/// Frames always record their content size, so decompression knows the exact output length
/// and can verify it; a frame that lies about its size is an error, never a short buffer.
package enum Zstd {
    /// One decompression context per thread, reused: ZSTD_decompress would allocate (and, at its
    /// size, mmap and unmap) a fresh context for every chunk a scan reads.
    private static let contextKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { context in ZSTD_freeDCtx(OpaquePointer(context)) }
        return key
    }()

    private static func threadContext() -> OpaquePointer {
        if let existing = pthread_getspecific(contextKey) { return OpaquePointer(existing) }
        let context = ZSTD_createDCtx()!
        pthread_setspecific(contextKey, UnsafeRawPointer(context))
        return context
    }

    /// One compression context per thread, reused for the same reason: ZSTD_compress allocates a
    /// workspace of about a megabyte per call, fresh pages the kernel zeroes for every chunk.
    private static let compressionContextKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { context in ZSTD_freeCCtx(OpaquePointer(context)) }
        return key
    }()

    private static func threadCompressionContext() -> OpaquePointer {
        if let existing = pthread_getspecific(compressionContextKey) { return OpaquePointer(existing) }
        let context = ZSTD_createCCtx()!
        pthread_setspecific(compressionContextKey, UnsafeRawPointer(context))
        return context
    }

    /// Level 3 is zstd's default: on column chunks it compresses several times faster than
    /// the high levels for a ratio within a few percent of them.
    package static let defaultLevel: Int32 = 3
    /// The most content one zstd block holds (ZSTD_BLOCKSIZE_MAX).
    static let maximumBlockSize = 128 << 10

    package static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = defaultLevel) throws -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var written = 0
        // Only the bytes zstd writes are touched; the frame is then copied to an array of its
        // own size, so a chunk does not keep the worst-case bound allocated.
        let output = [UInt8](unsafeUninitializedCapacity: bound) { out, initialized in
            written = ZSTD_compressCCtx(threadCompressionContext(), out.baseAddress, bound, input.baseAddress, input.count, level)
            initialized = ZSTD_isError(written) != 0 ? 0 : written
        }
        if ZSTD_isError(written) != 0 { throw ZstdError(returnCode: written) }
        return [UInt8](unsafeUninitializedCapacity: written) { exact, initialized in
            output.withUnsafeBufferPointer { frame in _ = exact.initialize(from: frame) }
            initialized = written
        }
    }

    package static func compress(_ input: [UInt8], level: Int32 = defaultLevel) throws -> [UInt8] {
        try input.withUnsafeBytes { try compress($0, level: level) }
    }

    /// The decompressed size a frame declares, or an error when the frame does not declare one
    /// or is not a zstd frame at all.
    package static func contentSize(of frame: UnsafeRawBufferPointer) throws -> Int {
        let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        if size == ZSTD_CONTENTSIZE_ERROR { throw ZstdError("not a zstd frame") }
        if size == ZSTD_CONTENTSIZE_UNKNOWN { throw ZstdError("frame does not declare its content size") }
        guard size <= UInt64(Int.max) else { throw ZstdError("frame declares an impossible size \(size)") }
        // Every block takes at least 4 bytes and holds at most 128 KiB: a larger declared size is
        // a damaged header, refused before anyone allocates it.
        guard size <= UInt64(frame.count / 4 + 1) * UInt64(Self.maximumBlockSize) else {
            throw ZstdError("frame of \(frame.count) bytes declares \(size) bytes, more than it can hold")
        }
        return Int(size)
    }

    /// Decompresses a frame into `destination`, which must be exactly the declared size.
    package static func decompress(_ frame: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws {
        let expected = try contentSize(of: frame)
        guard expected == destination.count else {
            throw ZstdError("frame holds \(expected) bytes, expected \(destination.count)")
        }
        if expected == 0 { return }
        let written = ZSTD_decompressDCtx(threadContext(), destination.baseAddress, destination.count, frame.baseAddress, frame.count)
        if ZSTD_isError(written) != 0 { throw ZstdError(returnCode: written) }
        guard written == expected else { throw ZstdError("frame decompressed to \(written) bytes, expected \(expected)") }
    }

    package static func decompress(_ frame: [UInt8]) throws -> [UInt8] {
        try frame.withUnsafeBytes { src in
            let size = try contentSize(of: src)
            var output = [UInt8](repeating: 0, count: size)
            try output.withUnsafeMutableBytes { try decompress(src, into: $0) }
            return output
        }
    }
}

/// Streaming decompression of a sequence of zstd frames (a `.zst` file), block by block.
package final class ZstdStreamDecoder {
    private let context: OpaquePointer
    private var input: [UInt8] = []
    private var inputPosition = 0
    private var frameComplete = true

    package init() throws {
        guard let context = ZSTD_createDCtx() else { throw ZstdError("cannot create a decompression context") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Hands the decoder more compressed bytes; call when `decompress` produced nothing and wants input.
    package func feed(_ bytes: UnsafeRawBufferPointer) {
        input.removeSubrange(0..<inputPosition)
        inputPosition = 0
        input.append(contentsOf: bytes)
    }

    package var hasPendingInput: Bool { inputPosition < input.count }

    /// Decompresses as much as fits into `output`; returns the bytes written.
    package func decompress(into output: UnsafeMutableRawBufferPointer) throws -> Int {
        try input.withUnsafeBytes { source in
            var inBuffer = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: inputPosition)
            var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
            if ZSTD_isError(result) != 0 { throw ZstdError(returnCode: result) }
            // Calls that make no progress say nothing about where the stream stands.
            if result == 0 || inBuffer.pos > inputPosition || outBuffer.pos > 0 { frameComplete = result == 0 }
            inputPosition = inBuffer.pos
            return outBuffer.pos
        }
    }

    /// True when the last frame ended cleanly (a stream that stops mid-frame is truncated).
    package var isAtFrameBoundary: Bool { frameComplete }
}
