import Glibc

/// A dimension's member codes by the members' UTF-8 bytes, for reading a remote answer: an
/// open-addressing table of codes hashed with a multiply-and-mix over the bytes, compared with
/// memcmp. A remote answer names a member on every row and every key column (millions of
/// lookups for HOTSPOTS' account cells), where a `Dictionary` keyed by `ByteString` spends most
/// of its time seeding and running SipHash.
struct MemberLookup {
    private let values: [String]
    /// Codes by hash bucket; 0 is an empty bucket (code 0 is NULL, never looked up).
    private let buckets: [UInt32]
    private let mask: Int

    /// `values[code]` for every code, `values[0]` standing for NULL.
    init(values: [String]) {
        self.values = values
        var capacity = 16
        while capacity < values.count * 2 { capacity <<= 1 }
        var buckets = [UInt32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for code in values.indices.dropFirst() {
            var value = values[code]
            var bucket = value.withUTF8 { Self.hash($0) } & mask
            while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
            buckets[bucket] = UInt32(code)
        }
        self.buckets = buckets
        self.mask = mask
    }

    /// The code of the member whose bytes are those of `text`; nil when there is none.
    func code(of text: String) -> UInt32? {
        var text = text
        return text.withUTF8 { bytes -> UInt32? in
            var bucket = Self.hash(bytes) & mask
            while true {
                let code = buckets[bucket]
                if code == 0 { return nil }
                var candidate = values[Int(code)]
                let equal = candidate.withUTF8 { stored in
                    stored.count == bytes.count && (bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
                }
                if equal { return code }
                bucket = (bucket + 1) & mask
            }
        }
    }

    /// Eight bytes at a time, each word multiplied into the state and folded (the high half
    /// back into the low, so that the low bits the mask keeps depend on every byte).
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            state = mix(state ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < raw.count {
            var tail: UInt64 = 0
            for index in offset..<raw.count { tail |= UInt64(raw[index]) << (UInt64(index - offset) * 8) }
            state = mix(state ^ tail)
        }
        return Int(truncatingIfNeeded: mix(state))
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
        return product.high ^ product.low
    }

    /// The code of a value the remote table returned for `attribute`; a value the cube's members
    /// lack means the table changed since the cube was opened.
    func code(of text: String, of attribute: GroupAttribute, in table: String) throws -> UInt32 {
        guard let code = code(of: text) else {
            throw QueryError("the table \(table) has \(attribute.name) = '\(text)', which it did not have when the cube was opened",
                             at: .synthesized, hint: "open the cube again to read its members anew")
        }
        return code
    }
}
