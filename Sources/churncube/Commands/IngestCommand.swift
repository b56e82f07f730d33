import ArgumentParser
import ChurnGenerator
import ChurnIngest
import ChurnModel
import ChurnSnapshot
import ChurnStorage
import Foundation

/// `churncube ingest`: loads a CSV into the columnar store and reports what it holds.
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a CSV file into the store and print what it holds.",
        discussion: """
            Prints rows and columns, and per column its kind, cardinality, raw bytes and compressed \
            bytes. Without --cube the schema is inferred: text columns become dimensions, numeric \
            columns measures. A file ending in .zst is decompressed while it loads. With --out the \
            cube is saved as a snapshot, replacing the file atomically.
            """
    )

    @Argument(help: ArgumentHelp("The CSV file (RFC 4180, with a header).", valueName: "facts.csv"))
    var file: String

    @Option(help: ArgumentHelp("Cube definition (YAML).", valueName: "path"))
    var cube: String?

    @Flag(help: "Skip rows that do not parse, count them and report the first ones, instead of stopping.")
    var skipBadRows = false

    @Option(help: ArgumentHelp("Rows per row group (1,024 to 65,536): smaller groups skip and drill through finer, larger ones scan with less overhead.", valueName: "rows"))
    var rowGroupSize = IngestOptions().rowGroupSize

    @Option(help: "Output format: table or json.")
    var format: ReportFormat = .table

    @Option(help: ArgumentHelp("Save the cube as a snapshot that opens in milliseconds.", valueName: "subs.ccube"))
    var out: String?

    func validate() throws {
        guard (1_024...ColumnChunk.maximumRowCount).contains(rowGroupSize) else {
            throw ValidationError("--row-group-size must be between 1,024 and \(ColumnChunk.maximumRowCount), not \(rowGroupSize)")
        }
    }

    func run() throws {
        try CommandFailure.requireFile(file)
        if Snapshot.isSnapshot(path: file) {
            throw CommandFailure.unreadable("\(file): a ChurnCube snapshot, not a CSV file; open it with 'churncube \(file)' or describe it with 'churncube info \(file)'")
        }
        var options = IngestOptions(cubePath: cube, skipBadRows: skipBadRows)
        options.rowGroupSize = rowGroupSize
        let progress = ProgressBar(enabled: FileDescriptor.standardError.isTerminal, label: "loading")
        options.progress = { done, total in progress.update(done: done, total: total) }
        let loaded: (Cube, IngestReport)
        do {
            loaded = try CSVLoader.load(path: file, options: options)
            progress.finish()
        } catch {
            progress.finish()
            throw CommandFailure.unreadable("\(error)")
        }
        let (cube, report) = loaded
        var saved: SnapshotWriteReport?
        if let out {
            do {
                saved = try Snapshot.write(cube, to: out)
            } catch {
                throw CommandFailure(message: "\(error)")
            }
        }
        switch format {
        case .table:
            print(IngestSummary.table(cube: cube, report: report))
            if let saved { print(SnapshotSummary.saved(saved)) }
        case .json: print(IngestSummary.json(cube: cube, report: report, snapshot: saved))
        }
    }
}

/// How a command prints its report.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// An error already phrased for the user: printed after `churncube: ` on standard error.
///
/// Input that cannot be opened or read (a missing file, a file of the wrong kind, data that does
/// not load) exits with status 2, as the shell does; anything else with 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var status: Int32 = 1
    var description: String { message }

    /// The input of a command cannot be opened or read.
    static func unreadable(_ message: String) -> CommandFailure {
        CommandFailure(message: message, status: 2)
    }

    /// Refuses a path that names no file, in the words the shell uses.
    static func requireFile(_ path: String) throws(CommandFailure) {
        guard FileManager.default.fileExists(atPath: path) else { throw unreadable("\(path): no such file") }
    }
}
