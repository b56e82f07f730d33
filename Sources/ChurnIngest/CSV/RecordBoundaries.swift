import Foundation

/// Finds where records end in a buffer of CSV, so it can be cut into blocks that parse
/// independently. Buffers without any quote (the common case) are cut at line feeds found with
/// memchr alone; others, and those whose lines end in CR alone, are walked record by record with
/// the `RecordScanner` the parser uses.
enum RecordBoundaries {
    /// The offset just past the last complete record, and up to `pieces - 1` cut points between
    /// records, spread evenly. With `atEnd`, the whole buffer counts as complete.
    static func split(_ bytes: UnsafeRawBufferPointer, pieces: Int, atEnd: Bool) -> (cuts: [Int], usable: Int) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return ([], 0) }
        let count = bytes.count
        // Line feeds end every record outside quotes; a file whose lines end in CR alone has none.
        let simple = memchr(base, Int32(UInt8(ascii: "\"")), count) == nil && memchr(base, Int32(UInt8(ascii: "\n")), count) != nil
        var targets = (1..<max(1, pieces)).map { count * $0 / pieces }
        var cuts: [Int] = []
        var lastEnd = 0
        if simple {
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
        var scanner = RecordScanner(bytes, atEnd: atEnd)
        targets.reverse()
        records: while scanner.position < count {
            switch scanner.skipBlankLine() {
            case nil: break records
            case true?: break
            case false?:
                fields: while true {
                    switch scanner.nextField() {
                    case .incomplete: break records
                    case .malformed: break fields
                    case let .field(_, _, _, _, endsRecord): if endsRecord { break fields }
                    }
                }
            }
            lastEnd = scanner.position
            if let next = targets.last, lastEnd > next {
                while let again = targets.last, lastEnd > again { targets.removeLast() }
                if lastEnd < count { cuts.append(lastEnd) }
            }
        }
        if atEnd { lastEnd = count }
        cuts.removeAll { $0 >= lastEnd }
        return (cuts, lastEnd)
    }
}
