import ChurnIngest
import ChurnModel
import ChurnSnapshot
import ChurnStorage
import Foundation

/// The report `ingest` prints: the load's figures, then one line per column.
enum IngestSummary {
    static func table(cube: Cube, report: IngestReport) -> String {
        let store = cube.store
        var lines: [String] = []
        let megabytesPerSecond = report.seconds > 0 ? Double(report.inputBytes) / report.seconds / 1e6 : 0
        lines.append("\(report.path): \(NumberText.count(store.rowCount, "row")), \(NumberText.count(store.columns.count, "column")) of cube '\(cube.name)' "
            + "loaded in \(String(format: "%.2f", report.seconds)) s (\(String(format: "%.0f", megabytesPerSecond)) MB/s), "
            + "peak memory \(NumberText.bytes(report.peakMemoryBytes))")
        if !report.sortKey.isEmpty {
            lines.append("rows sorted by \(report.sortKey.joined(separator: ", ")) in \(String(format: "%.2f", report.sortSeconds)) s (the cube's sort key)")
        }
        if report.schemaInferred { lines.append("schema inferred from the data (pass --cube to declare it)") }
        if !report.ignoredColumns.isEmpty { lines.append("ignored columns not in the cube: \(report.ignoredColumns.joined(separator: ", "))") }
        if report.skippedRowCount > 0 {
            lines.append("skipped \(NumberText.count(report.skippedRowCount, "bad row")); the first:")
            lines += report.skippedRows.map { "  " + $0 }
        }
        lines.append("")
        var table = TextTable(header: ["column", "kind", "cardinality", "nulls", "raw", "compressed", "ratio", "encodings"],
                              rightAligned: [false, false, true, true, true, true, true, false])
        for column in store.columns {
            table.add([
                column.name, column.type.description, column.cardinality.map(NumberText.grouped) ?? "",
                NumberText.grouped(column.nullCount), NumberText.bytes(column.rawByteCount),
                NumberText.bytes(column.storedByteCount), ratio(column.rawByteCount, column.storedByteCount),
                encodingMix(column),
            ])
        }
        table.addSeparator()
        table.add(["total", "", "", "", NumberText.bytes(store.rawByteCount), NumberText.bytes(store.storedByteCount),
                   ratio(store.rawByteCount, store.storedByteCount), NumberText.count(store.rowGroupCount, "row group")])
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    static func json(cube: Cube, report: IngestReport, snapshot: SnapshotWriteReport? = nil) -> String {
        let store = cube.store
        let columns: [[String: Any]] = store.columns.map { column in
            var entry: [String: Any] = [
                "name": column.name, "kind": column.type.description, "nulls": column.nullCount,
                "rawBytes": column.rawByteCount, "compressedBytes": column.storedByteCount,
            ]
            if let cardinality = column.cardinality { entry["cardinality"] = cardinality }
            return entry
        }
        var object: [String: Any] = [
            "file": report.path, "cube": cube.name, "rows": store.rowCount, "columns": columns,
            "rowGroups": store.rowGroupCount, "rawBytes": store.rawByteCount, "compressedBytes": store.storedByteCount,
            "seconds": report.seconds, "peakMemoryBytes": report.peakMemoryBytes, "inputBytes": report.inputBytes,
            "skippedRows": report.skippedRowCount, "schemaInferred": report.schemaInferred,
            "sortKey": report.sortKey, "sortSeconds": report.sortSeconds,
        ]
        if let snapshot {
            object["snapshot"] = ["path": snapshot.path, "bytes": snapshot.byteCount, "seconds": snapshot.seconds] as [String: Any]
        }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func ratio(_ raw: Int, _ stored: Int) -> String {
        stored > 0 ? String(format: "%.1fx", Double(raw) / Double(stored)) : "-"
    }

    /// e.g. "rle 80%, sparse 20%": which encodings the column's chunks use.
    private static func encodingMix(_ column: StoredColumn) -> String {
        var counts: [ChunkEncoding: Int] = [:]
        for chunk in column.chunks { counts[chunk.encoding, default: 0] += 1 }
        let total = max(1, column.chunks.count)
        return counts.sorted { $0.value > $1.value }
            .map { "\($0.key) \($0.value * 100 / total)%" }.joined(separator: ", ")
    }
}
