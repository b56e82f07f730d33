import ArgumentParser

/// How results are printed: `.mode` in the shell, `--format` on the command line.
enum OutputMode: String, CaseIterable, ExpressibleByArgument {
    /// Aligned columns with formatted values, bars and truncation on a terminal.
    case table
    /// RFC 4180, raw values: percentages as ratios, money as plain decimals, NULL and rolled-up
    /// cells empty; one table per result, an empty line between two.
    case csv
    /// JSON Lines: one object per result, raw values; numbers as numbers, NULL as null.
    case json
    /// A GitHub table with formatted values.
    case markdown
    /// One `column = value` line per column, a blank line between rows; formatted values.
    case line
    /// A two-dimension grid with shaded cells.
    case heatmap

    /// The modes `--format` accepts: heatmap is interactive only.
    static var batchModes: [OutputMode] { [.table, .csv, .json, .markdown] }
}
