import ChurnModel
import ChurnStorage
import Foundation

/// `.stats`: memory per column, compressed against raw, and the total.
enum StoreStatistics {
    static func render(_ cube: Cube) -> String {
        let store = cube.store
        var table = TextTable(header: ["column", "kind", "members", "raw", "compressed", "ratio"],
                              rightAligned: [false, false, true, true, true, true])
        for column in store.columns {
            table.add([column.name, column.type.description, column.cardinality.map(NumberText.grouped) ?? "",
                       NumberText.bytes(column.rawByteCount), NumberText.bytes(column.storedByteCount),
                       ratio(column.rawByteCount, column.storedByteCount)])
        }
        table.addSeparator()
        table.add(["total", "", "", NumberText.bytes(store.rawByteCount), NumberText.bytes(store.storedByteCount),
                   ratio(store.rawByteCount, store.storedByteCount)])
        return "cube \(cube.name): \(NumberText.count(store.rowCount, "row")) in \(NumberText.count(store.rowGroupCount, "row group"))\n"
            + table.render() + "\n" + cacheLine(DecompressedChunkCache.shared.usage)
    }

    /// What scans keep decompressed beside the store (see `DecompressedChunkCache`).
    static func cacheLine(_ usage: DecompressedChunkCache.Usage) -> String {
        let reads = usage.hits + usage.misses
        let hitShare = reads > 0
            ? "; " + String(format: "%.0f%%", 100 * Double(usage.hits) / Double(reads)) + " of \(NumberText.grouped(reads)) reads found there"
            : ""
        return "decompressed chunks kept for scans: \(NumberText.bytes(usage.bytes)) of \(NumberText.bytes(usage.budgetBytes)) "
            + "(\(NumberText.count(usage.chunks, "chunk"))"
            + (usage.runIndexes > 0 ? ", run indexes of \(NumberText.count(usage.runIndexes, "chunk"))" : "")
            + "\(hitShare))"
    }

    private static func ratio(_ raw: Int, _ stored: Int) -> String {
        stored > 0 ? String(format: "%.1fx", Double(raw) / Double(stored)) : "-"
    }
}
