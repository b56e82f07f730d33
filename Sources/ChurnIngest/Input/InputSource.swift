import ChurnStorage
import Foundation

/// Bytes of an input file, read sequentially: plain files with read(2), `.zst` files through
/// streaming decompression, so a compressed CSV loads without a temporary copy.
final class InputSource {
    let path: String
    private let descriptor: Int32
    /// Size on disk, for progress; consumed bytes are counted on the same scale.
    let totalBytes: Int
    private(set) var consumedBytes = 0
    private let decoder: ZstdStreamDecoder?
    private var compressed = [UInt8](repeating: 0, count: 1 << 20)
    private var sawEndOfFile = false

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IngestError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw IngestError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw IngestError.cannotOpen(path: path, reason: "is a directory")
        }
        descriptor = fd
        totalBytes = Int(info.st_size)
        if path.hasSuffix(".zst") {
            do { decoder = try ZstdStreamDecoder() } catch {
                close(fd)
                throw IngestError.cannotOpen(path: path, reason: "\(error)")
            }
        } else {
            decoder = nil
        }
    }

    deinit { close(descriptor) }

    /// Fills `buffer` as far as possible; returns 0 only at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let decoder else { return try readRaw(into: buffer) }
        var written = 0
        while written < buffer.count {
            let produced: Int
            do {
                produced = try decoder.decompress(into: UnsafeMutableRawBufferPointer(rebasing: buffer[written...]))
            } catch {
                throw IngestError.badInput(path: path, message: "cannot decompress: \(error)")
            }
            written += produced
            if produced == 0 && !decoder.hasPendingInput {
                if sawEndOfFile {
                    guard decoder.isAtFrameBoundary else { throw IngestError.badInput(path: path, message: "compressed data ends in the middle of a frame (truncated file?)") }
                    break
                }
                let count = try compressed.withUnsafeMutableBytes { (raw) throws -> Int in try readRaw(into: raw) }
                if count == 0 { sawEndOfFile = true } else {
                    compressed.withUnsafeBytes { decoder.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                }
            }
        }
        return written
    }

    private func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < buffer.count {
            let count = Foundation.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            if count < 0 {
                if errno == EINTR { continue }
                throw IngestError.badInput(path: path, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            total += count
        }
        consumedBytes += total
        return total
    }
}
