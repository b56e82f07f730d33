import ArgumentParser
import ChurnGenerator
import ChurnIngest
import ChurnModel
import ChurnSnapshot
import Foundation

/// `churncube append`: adds a CSV's rows to a snapshot as new chunks, rewriting it atomically.
struct Append: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add the rows of a CSV file to a snapshot.",
        discussion: """
            The CSV must carry the snapshot cube's columns. Existing chunks are copied as they are \
            (never re-encoded); new values extend the dictionaries. The snapshot is replaced \
            atomically: if anything fails, the old file is left as it was. Writers of one snapshot \
            take turns: an append waits up to 30 s for another append or save of the file to finish.
            """
    )

    @Argument(help: ArgumentHelp("The snapshot to extend.", valueName: "subs.ccube"))
    var snapshot: String

    @Argument(help: ArgumentHelp("The new rows (RFC 4180, with a header).", valueName: "facts.csv"))
    var file: String

    @Flag(help: "Skip rows that do not parse, count them and report the first ones, instead of stopping.")
    var skipBadRows = false

    func run() throws {
        try CommandFailure.requireFile(snapshot)
        try CommandFailure.requireFile(file)
        let progress = ProgressBar(enabled: FileDescriptor.standardError.isTerminal, label: "loading")
        do {
            // Held from reading the old file to renaming the new one over it.
            let lock = try SnapshotLock.acquire(path: snapshot)
            defer { lock.release() }
            let base: Cube
            let addition: Cube, report: IngestReport
            do {
                base = try Snapshot.open(path: snapshot)
                TestHooks.delayAppend()
                var options = IngestOptions(skipBadRows: skipBadRows)
                options.continuing = base
                options.progress = { done, total in progress.update(done: done, total: total) }
                (addition, report) = try CSVLoader.load(path: file, options: options)
                progress.finish()
            } catch {
                throw CommandFailure.unreadable("\(error)")
            }
            let combined = try Snapshot.appending(addition, to: base, path: snapshot)
            let saved = try Snapshot.write(combined, holding: lock)
            print(IngestSummary.table(cube: addition, report: report))
            print("appended \(NumberText.count(report.rowCount, "row")): \(snapshot) now holds \(NumberText.count(combined.store.rowCount, "row"))")
            print(SnapshotSummary.saved(saved))
        } catch let failure as CommandFailure {
            progress.finish()
            throw failure
        } catch {
            progress.finish()
            throw CommandFailure(message: "\(error)")
        }
    }
}
