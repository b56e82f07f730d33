import ChurnStorage

/// Merges the block-local codes of one dimension into its global dictionary, in input order.
///
/// A block's values are looked up by their bytes in a `GlobalCodeTable`, so a value already
/// known costs a probe and no `String`; only a value new to the whole load becomes a String in
/// the dictionary. Columns merge independently, so they merge in parallel.
final class DictionaryMerger: @unchecked Sendable {
    private(set) var dictionary: ValueDictionary
    private var table = GlobalCodeTable()

    init(continuing dictionary: ValueDictionary) {
        self.dictionary = dictionary
        for code in 1..<max(1, dictionary.count) {
            let value = Array(dictionary.values[code].utf8)
            _ = value.withUnsafeBytes { table.code(of: $0) { UInt32(code) } }
        }
    }

    /// `map[localCode]`: the global code of each code of `block`'s interner (0 stays NULL);
    /// codes `isUnused` says only skipped rows used stay out of the dictionary and map to 0.
    func codeMap(for block: ByteInterner, isUnused: (UInt32) -> Bool) -> [Int64] {
        var map = [Int64](repeating: 0, count: block.count + 1)
        for local in 1...max(1, block.count) where local <= block.count && !isUnused(UInt32(local)) {
            map[local] = block.withBytes(of: UInt32(local)) { bytes in
                Int64(table.code(of: bytes) { dictionary.intern(String(decoding: bytes, as: UTF8.self)) })
            }
        }
        return map
    }
}
