import ChurnStorage

/// Merges the block-local codes of one dimension into its global dictionary, in input order.
///
/// A block's values are looked up by their bytes in a global byte interner, so a value already
/// known costs a hash probe and no `String`; only a value new to the whole load becomes a String
/// in the dictionary. Columns merge independently, so they merge in parallel.
final class DictionaryMerger: @unchecked Sendable {
    private(set) var dictionary: ValueDictionary
    private var interner = ByteInterner()
    /// Dictionary code of each interner code (index = interner code).
    private var dictionaryCodes: [Int64] = [0]

    init(continuing dictionary: ValueDictionary) {
        self.dictionary = dictionary
        for code in 1..<max(1, dictionary.count) {
            let value = Array(dictionary.values[code].utf8)
            let internerCode = value.withUnsafeBytes { interner.intern($0, line: 0) }
            if Int(internerCode) == dictionaryCodes.count { dictionaryCodes.append(Int64(code)) }
        }
    }

    /// `map[localCode]`: the global code of each code of `block`'s interner (0 stays NULL);
    /// codes `isUnused` says only skipped rows used stay out of the dictionary and map to 0.
    func codeMap(for block: ByteInterner, isUnused: (UInt32) -> Bool) -> [Int64] {
        var map = [Int64](repeating: 0, count: block.count + 1)
        for local in 1...max(1, block.count) where local <= block.count && !isUnused(UInt32(local)) {
            map[local] = block.withBytes(of: UInt32(local)) { bytes in
                let known = interner.count
                let code = Int(interner.intern(bytes, line: 0))
                if code > known {
                    dictionaryCodes.append(Int64(dictionary.intern(String(decoding: bytes, as: UTF8.self))))
                }
                return dictionaryCodes[code]
            }
        }
        return map
    }
}
