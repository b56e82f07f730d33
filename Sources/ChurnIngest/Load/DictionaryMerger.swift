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
    /// `isUnused` is nil when every code of the block is used.
    func codeMap(for block: ByteInterner, isUnused: ((UInt32) -> Bool)?) -> [Int64] {
        var map = [Int64](repeating: 0, count: block.count + 1)
        let locals: [UInt32]? = isUnused.map { isUnused in (1..<(block.count + 1)).lazy.map { UInt32($0) }.filter { !isUnused($0) } }
        block.arena.withUnsafeBytes { arena in
            block.starts.withUnsafeBufferPointer { starts in
                map.withUnsafeMutableBufferPointer { map in
                    func value(_ local: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: arena[starts[local - 1]..<starts[local]]) }
                    let local: (Int) -> Int = { index in locals.map { Int($0[index]) } ?? index + 1 }
                    table.codes(count: locals?.count ?? block.count, value: { value(local($0)) }, newCode: { index in
                        dictionary.intern(String(decoding: value(local(index)), as: UTF8.self))
                    }, found: { index, code in map[local(index)] = Int64(code) })
                }
            }
        }
        return map
    }
}
