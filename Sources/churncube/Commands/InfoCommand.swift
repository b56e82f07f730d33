import ArgumentParser
import Foundation
import ChurnSnapshot

/// `churncube info`: describes a snapshot from its metadata, without loading its data.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a snapshot: format version, cube, rows, columns, sizes, creation time."
    )

    @Argument(help: ArgumentHelp("The snapshot.", valueName: "subs.ccube"))
    var snapshot: String

    @Option(help: "Output format: table or json.")
    var format: ReportFormat = .table

    func run() throws {
        try CommandFailure.requireFile(snapshot)
        let info: SnapshotInfo
        do {
            info = try Snapshot.info(path: snapshot)
        } catch {
            throw CommandFailure.unreadable("\(error)")
        }
        switch format {
        case .table: print(SnapshotSummary.table(info))
        case .json: print(SnapshotSummary.json(info))
        }
    }
}
