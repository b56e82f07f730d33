import ChurnModel
import ChurnQuery
import ChurnSnapshot
import ChurnStorage
import Foundation

private let scratch: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-fuzz-snapshot-\(getpid())").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

/// libFuzzer entry: the bytes as a snapshot file, opened, described and read whole by queries.
/// Inputs of odd length first get every checksum recomputed (header, footer, index, definition,
/// dictionaries, chunk bodies), as a faulty writer would leave them, so the fuzzer reaches the
/// index, dictionary and chunk decoders behind the checksums. Opening may fail; nothing may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshotReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if size % 2 == 1 { Resealer.reseal(&bytes) }
    let path = scratch + "/fuzz.ccube"
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = try? Snapshot.info(path: path)
    guard let cube = try? Snapshot.open(path: path), let engine = try? QueryEngine(cube: cube) else { return 0 }
    let name = cube.definition.name
    _ = try? engine.execute("SELECT * FROM \(name)")
    let facts = cube.definition.facts.map { "SUM(\($0.name)), MIN(\($0.name)), COUNT(\($0.name))" }
    for dimension in cube.definition.dimensions.prefix(4) {
        let items = (["COUNT(*)", "COUNT(DISTINCT \(dimension.name))", "MAX(\(dimension.name))"] + facts).joined(separator: ", ")
        _ = try? engine.execute("SELECT \(dimension.name), \(items) FROM \(name) GROUP BY ROLLUP(\(dimension.name))")
        _ = try? engine.execute("SELECT COUNT(*) FROM \(name) WHERE \(dimension.name) >= 'm' OR \(dimension.name) IS NULL")
    }
    return 0
}

/// Recomputes the checksums of a snapshot's parts in place, walking the index as
/// `SNAPSHOT-FORMAT.md` lays it out; stops quietly where the bytes stop making sense.
enum Resealer {
    static func reseal(_ bytes: inout [UInt8]) {
        let count = bytes.count
        guard count >= 80 else { return }
        let footer = count - 48
        let indexOffset = Int(clamping: read(bytes, footer, UInt64.self)), indexLength = Int(clamping: read(bytes, footer + 8, UInt64.self))
        if indexOffset >= 32, indexLength >= 0, indexOffset <= footer, indexLength <= footer - indexOffset {
            var walker = Walker(bytes: bytes, position: indexOffset, end: indexOffset + indexLength)
            let sections = walker.sections()
            for section in sections { seal(&bytes, section: section.at, range: section.range) }
            write(&bytes, footer + 16, hash(bytes, indexOffset..<(indexOffset + indexLength)))
        }
        write(&bytes, footer + 24, UInt64(count))
        write(&bytes, footer + 32, hash(bytes, footer..<(footer + 32)))
        write(&bytes, 24, hash(bytes, 0..<24))
    }

    /// Reads the index's sections: where each section reference sits and the range it names.
    struct Walker {
        let bytes: [UInt8]
        var position: Int
        let end: Int
        var found: [(at: Int, range: Range<Int>)] = []

        mutating func sections() -> [(at: Int, range: Range<Int>)] {
            _ = walk()
            return found
        }

        private mutating func walk() -> Bool {
            guard skip(8), let columns = take(UInt32.self), section() else { return false }
            for _ in 0..<min(Int(columns), 4096) {
                guard let length = take(UInt32.self), skip(Int(length)), let type = take(UInt8.self), skip(1) else { return false }
                if type == 0 { guard section(), skip(4) else { return false } }
                guard let chunks = take(UInt32.self) else { return false }
                for _ in 0..<min(Int(chunks), 1 << 16) {
                    // body, encoding, rows, width, base, common, entries, nulls, compressed, packed, null count
                    guard section(), skip(1 + 4 + 1 + 8 + 8 + 4 + 4 + 1 + 4 + 4), let presence = take(UInt8.self) else { return false }
                    if presence & 1 != 0 { guard skip(16) else { return false } }
                    if presence & 2 != 0 { guard skip(16) else { return false } }
                    if presence & 4 != 0 { guard let codes = take(UInt16.self), skip(4 * Int(codes)) else { return false } }
                }
            }
            return true
        }

        private mutating func section() -> Bool {
            guard position + 24 <= end else { return false }
            let offset = Int(clamping: read(bytes, position, UInt64.self)), length = Int(clamping: read(bytes, position + 8, UInt64.self))
            if offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset {
                found.append((position + 16, offset..<(offset + length)))
            }
            position += 24
            return true
        }

        private mutating func skip(_ count: Int) -> Bool {
            guard count >= 0, count <= end - position else { return false }
            position += count
            return true
        }

        private mutating func take<T: FixedWidthInteger>(_ type: T.Type) -> T? {
            guard MemoryLayout<T>.size <= end - position else { return nil }
            defer { position += MemoryLayout<T>.size }
            return read(bytes, position, T.self)
        }
    }

    private static func seal(_ bytes: inout [UInt8], section at: Int, range: Range<Int>) {
        write(&bytes, at, hash(bytes, range))
    }

    private static func hash(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64 {
        bytes.withUnsafeBytes { XXH64.hash(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    static func read<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, _ type: T.Type) -> T {
        var value: T = 0
        for index in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(bytes[offset + index]) }
        return value
    }

    static func write(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt64) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }
}
