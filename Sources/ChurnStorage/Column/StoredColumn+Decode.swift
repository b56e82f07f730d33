extension StoredColumn {
    /// Every value of the column in row order, NULLs as nil: dimension values as strings,
    /// integers as `Int64`, decimals as `Int64` in 10^-scale units, doubles as `Double`.
    /// For tests, drill-through and export, not for scans.
    package func decodeAllValues() throws -> [StoredValue?] {
        var result: [StoredValue?] = []
        result.reserveCapacity(rowCount)
        var scratch: [UInt8] = []
        for chunk in chunks {
            var raw = [Int64](repeating: 0, count: chunk.rowCount)
            let nulls = try raw.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
            for (row, value) in raw.enumerated() {
                if nulls?.isNull(row) == true { result.append(nil); continue }
                switch type {
                case .dimension:
                    guard value >= 0, value < dictionary.count else {
                        throw StorageError.malformed("column '\(name)': code \(value) outside the column's dictionary of \(dictionary.count) codes")
                    }
                    result.append(dictionary.value(of: UInt32(value)).map(StoredValue.text))
                case .integer, .decimal: result.append(.integer(value))
                case .double: result.append(.double(Double(bitPattern: UInt64(bitPattern: value))))
                }
            }
        }
        return result
    }
}

/// One decoded value of a stored column.
package enum StoredValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case double(Double)
}
