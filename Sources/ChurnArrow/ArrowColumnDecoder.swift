/// Turns one column's body buffers into widened Swift values.
///
/// Every buffer's length is checked against the row count before an array of that many rows is
/// allocated, so the allocation never exceeds a small multiple of the blob's size. Values are read
/// with unaligned little-endian loads straight from the blob.
struct ArrowColumnDecoder {
    let bytes: [UInt8]
    let field: ArrowField
    let rowCount: Int
    let nullCount: Int
    /// The column's buffers in Arrow layout order: validity first, then offsets and/or values.
    let buffers: [ArrowBodyBuffer]

    private static let millisecondsPerDay: Int64 = 86_400_000

    func decode() throws(ArrowError) -> ArrowColumn {
        do throws(ArrowError) {
            return try decodeColumn()
        } catch {
            throw error.inColumn(field.name)
        }
    }

    private func decodeColumn() throws(ArrowError) -> ArrowColumn {
        if field.type == .null {
            return ArrowColumn(field: field, values: .nulls, validity: nil)
        }
        let validity = try decodeValidity(buffers[0])
        let values: ArrowValues
        switch field.type {
        case .null:
            values = .nulls
        case .boolean:
            try require(buffers[1], holds: rowCount, bitsEach: 1, "values")
            values = .booleans(unpackBits(buffers[1]).bits)
        case .integer(let bitWidth, let signed):
            values = .integers(try integers(buffers[1], bitWidth: bitWidth, signed: signed, validity: validity))
        case .floatingPoint(let bitWidth):
            try require(buffers[1], holds: rowCount, bitsEach: bitWidth, "values")
            switch bitWidth {
            case 16: values = .doubles(loadEach(UInt16.self, from: buffers[1]) { _, bits in Self.double(float16Bits: bits) })
            case 32: values = .doubles(loadEach(UInt32.self, from: buffers[1]) { _, bits in Double(Float(bitPattern: bits)) })
            default: values = .doubles(loadEach(UInt64.self, from: buffers[1]) { _, bits in Double(bitPattern: bits) })
            }
        case .decimal(_, let scale):
            try require(buffers[1], holds: rowCount, bitsEach: 128, "values")
            values = .decimals(loadEach(Int128.self, from: buffers[1]) { _, value in value }, scale: scale)
        case .date32:
            try require(buffers[1], holds: rowCount, bitsEach: 32, "values")
            values = .days(loadEach(Int32.self, from: buffers[1]) { _, day in day })
        case .date64:
            values = .days(try daysFromMilliseconds(buffers[1], validity: validity))
        case .utf8:
            values = .strings(try strings(Int32.self, offsets: buffers[1], data: buffers[2], validity: validity))
        case .largeUtf8:
            values = .strings(try strings(Int64.self, offsets: buffers[1], data: buffers[2], validity: validity))
        }
        return ArrowColumn(field: field, values: values, validity: validity)
    }

    // MARK: - Checks

    /// Fails unless `buffer` has room for `count` values of `bitsEach` bits (bit-packed when 1).
    private func require(_ buffer: ArrowBodyBuffer, holds count: Int, bitsEach: Int, _ role: String) throws(ArrowError) {
        precondition(count >= 0 && bitsEach > 0, "row counts are checked non-negative when the batch is read")
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitsEach)
        let needed = overflow ? Int.max : bits / 8 + (bits % 8 == 0 ? 0 : 1)
        guard buffer.length >= needed else {
            throw ArrowError(.malformed, "the \(role) buffer has \(buffer.length) bytes where \(count) rows need \(overflow ? "more than \(Int.max)" : "\(needed)")", at: buffer.start)
        }
    }

    /// The validity bitmap, or nil when the node declares no nulls (the buffer may then be empty).
    private func decodeValidity(_ buffer: ArrowBodyBuffer) throws(ArrowError) -> [Bool]? {
        guard nullCount > 0 else { return nil }
        try require(buffer, holds: rowCount, bitsEach: 1, "validity")
        let (bits, clearCount) = unpackBits(buffer)
        guard clearCount == nullCount else {
            throw ArrowError(.malformed, "the field node declares \(nullCount) nulls but the validity bitmap marks \(clearCount)", at: buffer.start)
        }
        return bits
    }

    // MARK: - Fixed width

    /// Reads `rowCount` little-endian values of `T` from a buffer already checked to hold them.
    @inline(__always)
    private func loadEach<T: FixedWidthInteger, Element>(_: T.Type, from buffer: ArrowBodyBuffer, _ transform: (Int, T) -> Element) -> [Element] {
        let count = rowCount
        let start = buffer.start
        let width = MemoryLayout<T>.size
        return bytes.withUnsafeBytes { raw in
            [Element](unsafeUninitializedCapacity: count) { out, initialized in
                for row in 0..<count {
                    let value = T(littleEndian: raw.loadUnaligned(fromByteOffset: start &+ row &* width, as: T.self))
                    out.initializeElement(at: row, to: transform(row, value))
                }
                initialized = count
            }
        }
    }

    /// Bit-packed, least significant bit first; also counts the clear bits for the validity check.
    private func unpackBits(_ buffer: ArrowBodyBuffer) -> (bits: [Bool], clearCount: Int) {
        let count = rowCount
        let start = buffer.start
        var setCount = 0
        let bits = bytes.withUnsafeBufferPointer { all in
            [Bool](unsafeUninitializedCapacity: count) { out, initialized in
                for row in 0..<count {
                    let isSet = (all[start &+ (row &>> 3)] &>> UInt8(truncatingIfNeeded: row & 7)) & 1 != 0
                    setCount &+= isSet ? 1 : 0
                    out.initializeElement(at: row, to: isSet)
                }
                initialized = count
            }
        }
        return (bits, count - setCount)
    }

    private func integers(_ buffer: ArrowBodyBuffer, bitWidth: Int, signed: Bool, validity: [Bool]?) throws(ArrowError) -> [Int64] {
        try require(buffer, holds: rowCount, bitsEach: bitWidth, "values")
        switch (bitWidth, signed) {
        case (8, true): return loadEach(Int8.self, from: buffer) { _, value in Int64(value) }
        case (16, true): return loadEach(Int16.self, from: buffer) { _, value in Int64(value) }
        case (32, true): return loadEach(Int32.self, from: buffer) { _, value in Int64(value) }
        case (64, true): return loadEach(Int64.self, from: buffer) { _, value in value }
        case (8, false): return loadEach(UInt8.self, from: buffer) { _, value in Int64(value) }
        case (16, false): return loadEach(UInt16.self, from: buffer) { _, value in Int64(value) }
        case (32, false): return loadEach(UInt32.self, from: buffer) { _, value in Int64(value) }
        default:
            // uint64 values past Int64.max come out negative; only valid rows count.
            let values = loadEach(UInt64.self, from: buffer) { _, value in Int64(bitPattern: value) }
            if let row = values.indices.first(where: { values[$0] < 0 && validity?[$0] != false }) {
                throw ArrowError.column(field.name, .unsupported, "holds uint64 value \(UInt64(bitPattern: values[row])) at row \(row), which does not fit in Int64", at: buffer.start + row * 8)
            }
            return values
        }
    }

    private func daysFromMilliseconds(_ buffer: ArrowBodyBuffer, validity: [Bool]?) throws(ArrowError) -> [Int32] {
        try require(buffer, holds: rowCount, bitsEach: 64, "values")
        var outOfRangeRow: Int?
        let days = loadEach(Int64.self, from: buffer) { row, milliseconds -> Int32 in
            // Floor, so instants before 1970 fall on the day they belong to.
            let (quotient, remainder) = milliseconds.quotientAndRemainder(dividingBy: Self.millisecondsPerDay)
            let day = remainder < 0 ? quotient - 1 : quotient
            guard let narrow = Int32(exactly: day) else {
                if outOfRangeRow == nil, validity?[row] != false { outOfRangeRow = row }
                return 0
            }
            return narrow
        }
        if let row = outOfRangeRow {
            throw ArrowError.column(field.name, .malformed, "holds a date64 value at row \(row) beyond the range of date32 days", at: buffer.start + row * 8)
        }
        return days
    }

    /// IEEE 754 binary16 to Double; every half value is exact in a Double.
    private static func double(float16Bits bits: UInt16) -> Double {
        let negative = bits & 0x8000 != 0
        let exponent = Int((bits &>> 10) & 0x1F)
        let fraction = Double(bits & 0x3FF)
        let magnitude: Double
        switch exponent {
        case 0: magnitude = fraction * 0x1p-24
        case 0x1F: magnitude = fraction == 0 ? .infinity : .nan
        default: magnitude = (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }

    // MARK: - Variable width

    /// Strings from an offsets buffer of `rowCount + 1` entries into a data buffer.
    private func strings<Offset: FixedWidthInteger>(_: Offset.Type, offsets: ArrowBodyBuffer, data: ArrowBodyBuffer, validity: [Bool]?) throws(ArrowError) -> [String] {
        // A zero-row column may leave the offsets buffer empty.
        if rowCount == 0 { return [] }
        guard rowCount < Int.max else {
            throw ArrowError(.malformed, "the offsets buffer cannot hold \(rowCount) + 1 offsets", at: offsets.start)
        }
        try require(offsets, holds: rowCount + 1, bitsEach: MemoryLayout<Offset>.size * 8, "offsets")
        let width = MemoryLayout<Offset>.size
        let dataLength = Int64(data.length)
        let badOffsetRow: Int? = bytes.withUnsafeBytes { raw in
            var previous: Int64 = 0
            for row in 0...rowCount {
                let offset = Int64(Offset(littleEndian: raw.loadUnaligned(fromByteOffset: offsets.start &+ row &* width, as: Offset.self)))
                // Offsets only grow and stay inside the data; a slice may start past 0.
                guard offset >= (row == 0 ? 0 : previous), offset <= dataLength else { return row }
                previous = offset
            }
            return nil
        }
        if let row = badOffsetRow {
            throw ArrowError(.malformed, "offset \(row) points outside the \(data.length)-byte string data or goes backwards", at: offsets.start + row * width)
        }

        var invalidRow: Int?
        let values = bytes.withUnsafeBufferPointer { all in
            let raw = UnsafeRawBufferPointer(all)
            func offset(_ row: Int) -> Int {
                Int(truncatingIfNeeded: Offset(littleEndian: raw.loadUnaligned(fromByteOffset: offsets.start &+ row &* width, as: Offset.self)))
            }
            // Text that is all ASCII (dimension members mostly are) is valid UTF-8 however it is
            // cut, so one pass over the bytes stands for validating each string.
            let first = data.start &+ offset(0), last = data.start &+ offset(rowCount)
            let isASCII = Self.isASCII(UnsafeBufferPointer(rebasing: all[first..<last]))
            return [String](unsafeUninitializedCapacity: rowCount) { out, initialized in
                var begin = first
                for row in 0..<rowCount {
                    let end = data.start &+ offset(row &+ 1)
                    defer { begin = end }
                    if let validity, !validity[row] {
                        out.initializeElement(at: row, to: "")
                        initialized = row &+ 1
                        continue
                    }
                    let bytes = UnsafeBufferPointer(rebasing: all[begin..<end])
                    if isASCII {
                        out.initializeElement(at: row, to: String(decoding: bytes, as: UTF8.self))
                        initialized = row &+ 1
                        continue
                    }
                    guard let string = String(validating: bytes, as: UTF8.self) else {
                        invalidRow = row
                        return
                    }
                    out.initializeElement(at: row, to: string)
                    initialized = row &+ 1
                }
            }
        }
        if let row = invalidRow {
            throw ArrowError.column(field.name, .malformed, "holds invalid UTF-8 at row \(row)", at: data.start)
        }
        return values
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        return high < 0x80
    }
}
