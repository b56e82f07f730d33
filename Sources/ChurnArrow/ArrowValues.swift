/// One column's values, widened to a few Swift element types.
///
/// Values at null rows are unspecified (strings there are empty); consult the column's validity.
package enum ArrowValues: Sendable {
    /// A column of Arrow type null: every row is null and nothing is stored.
    case nulls
    case booleans([Bool])
    /// Every signed width, and unsigned widths whose values fit in Int64.
    case integers([Int64])
    /// float16, float32 and float64.
    case doubles([Double])
    /// 128-bit decimals, unscaled: the value is `unscaled / 10^scale`.
    case decimals([Int128], scale: Int)
    /// utf8 and large utf8, validated UTF-8.
    case strings([String])
    /// Days since 1970-01-01; date64 milliseconds are floored to days.
    case days([Int32])
}
