import ChurnSnapshot
import Foundation

/// The reports of `info` and of a snapshot save.
enum SnapshotSummary {
    static func saved(_ report: SnapshotWriteReport) -> String {
        "snapshot \(report.path): \(NumberText.bytes(report.byteCount)) saved in \(String(format: "%.2f", report.seconds)) s"
    }

    static func table(_ info: SnapshotInfo) -> String {
        var lines: [String] = []
        lines.append("\(info.path): ChurnCube snapshot, format version \(info.formatVersion), created \(createdText(info))")
        lines.append("cube '\(info.cubeName)': \(NumberText.count(info.rowCount, "row")) in \(NumberText.count(info.rowGroupCount, "row group")), "
            + NumberText.count(info.columns.count, "column"))
        lines.append("file \(NumberText.bytes(info.fileByteCount)): data \(NumberText.bytes(info.dataByteCount)), "
            + "metadata \(NumberText.bytes(info.metadataByteCount))")
        lines.append("")
        var table = TextTable(header: ["column", "kind", "cardinality", "compressed"], rightAligned: [false, false, true, true])
        for column in info.columns {
            table.add([column.name, column.type.description, column.cardinality.map(NumberText.grouped) ?? "",
                       NumberText.bytes(column.compressedByteCount)])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    static func json(_ info: SnapshotInfo) -> String {
        let columns: [[String: Any]] = info.columns.map { column in
            var entry: [String: Any] = ["name": column.name, "kind": column.type.description,
                                        "compressedBytes": column.compressedByteCount, "chunks": column.chunkCount]
            if let cardinality = column.cardinality { entry["cardinality"] = cardinality }
            return entry
        }
        let object: [String: Any] = [
            "file": info.path, "formatVersion": info.formatVersion, "cube": info.cubeName, "rows": info.rowCount,
            "rowGroups": info.rowGroupCount, "columns": columns, "fileBytes": info.fileByteCount,
            "dataBytes": info.dataByteCount, "metadataBytes": info.metadataByteCount, "created": createdText(info),
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func createdText(_ info: SnapshotInfo) -> String {
        let date = Date(timeIntervalSince1970: Double(info.createdMilliseconds) / 1000)
        return date.formatted(.iso8601)
    }
}
