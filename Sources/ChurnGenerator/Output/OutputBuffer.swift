/// A fixed block of bytes that rows are formatted into by hand and handed to a sink when full.
///
/// No `String` is built per field: integers, cents and labels are copied or formatted straight
/// into the block, which keeps 10 million rows within seconds.
struct OutputBuffer: ~Copyable {
    private let storage: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    var remaining: Int { capacity - count }

    /// Hands the buffered bytes to `sink` and empties the buffer.
    mutating func flush(to sink: inout some ByteSink) throws {
        guard count > 0 else { return }
        try sink.write(UnsafeRawBufferPointer(start: storage, count: count))
        count = 0
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        storage[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        (storage + count).update(from: text.utf8Start, count: length)
        count += length
    }

    mutating func append(_ text: String) {
        for byte in text.utf8 { append(byte) }
    }

    @inline(__always)
    mutating func appendComma() { append(UInt8(ascii: ",")) }

    @inline(__always)
    mutating func appendFlag(_ flag: Bool) {
        append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
    }

    /// A non-negative integer in decimal.
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
        appendDecimal(value, minimumDigits: 1)
    }

    /// A non-negative integer in decimal, zero-padded to `minimumDigits`.
    @inline(__always)
    mutating func appendDecimal(_ value: Int, minimumDigits: Int) {
        precondition(value >= 0, "negative value in an unsigned field")
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        digits = max(digits, minimumDigits)
        var remainder = value
        var position = count + digits - 1
        while position >= count {
            storage[position] = UInt8(truncatingIfNeeded: 48 + remainder % 10)
            remainder /= 10
            position -= 1
        }
        count += digits
    }

    /// Cents as money with exactly two decimals: 12345 -> "123.45".
    @inline(__always)
    mutating func appendCents(_ cents: Int) {
        appendDecimal(cents / 100)
        append(UInt8(ascii: "."))
        appendDecimal(cents % 100, minimumDigits: 2)
    }

    /// An optional integer; nil is an empty field (NULL).
    @inline(__always)
    mutating func appendOptional(_ value: Int?) {
        if let value { appendDecimal(value) }
    }
}
