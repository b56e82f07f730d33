import Foundation

/// Finds where records end in a buffer of CSV, so it can be cut into blocks that parse
/// independently. A newline ends a record only outside quotes; buffers without any quote
/// (the common case) are cut with memchr alone.
enum RecordBoundaries {
    /// The offset just past the last complete record, and up to `pieces - 1` cut points between
    /// records, spread evenly. With `atEnd`, the whole buffer counts as complete.
    static func split(_ bytes: UnsafeRawBufferPointer, pieces: Int, atEnd: Bool) -> (cuts: [Int], usable: Int) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return ([], 0) }
        let count = bytes.count
        let hasQuotes = memchr(base, Int32(UInt8(ascii: "\"")), count) != nil
        var targets = (1..<max(1, pieces)).map { count * $0 / pieces }
        var cuts: [Int] = []
        var lastEnd = 0
        if !hasQuotes {
            if atEnd {
                lastEnd = count
            } else {
                var offset = count - 1
                while offset >= 0 && base.load(fromByteOffset: offset, as: UInt8.self) != UInt8(ascii: "\n") { offset -= 1 }
                lastEnd = offset + 1
            }
            for target in targets where target < lastEnd {
                guard let found = memchr(base + target, Int32(UInt8(ascii: "\n")), lastEnd - target) else { continue }
                let cut = base.distance(to: UnsafeRawPointer(found)) + 1
                if cut < lastEnd && cut > (cuts.last ?? 0) { cuts.append(cut) }
            }
            return (cuts, lastEnd)
        }
        var inQuotes = false
        targets.reverse()
        for offset in 0..<count {
            let byte = base.load(fromByteOffset: offset, as: UInt8.self)
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if byte == UInt8(ascii: "\n") && !inQuotes {
                lastEnd = offset + 1
                if let next = targets.last, offset >= next {
                    targets.removeLast()
                    while let again = targets.last, offset >= again { targets.removeLast() }
                    cuts.append(offset + 1)
                }
            }
        }
        if atEnd { lastEnd = count }
        cuts.removeAll { $0 >= lastEnd }
        return (cuts, lastEnd)
    }
}
