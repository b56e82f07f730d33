#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// What a writer killed midway or a full disk leaves behind: the snapshot as it was (or whole as
/// it became), opening with the same rows, no temporary or lock files once it is next opened, and
/// errors that name the file and the problem.
@Suite(.serialized) struct FaultTests {
    /// 8,000 generated rows: a load and save long enough to be interrupted at many points.
    static let largerFacts: String = {
        let path = try! CLI.temporaryDirectory() + "/larger.csv"
        let run = try! CLI.run(["generate", "--rows", "8000", "--seed", "11", "--out", path])
        precondition(run.status == 0, run.standardError)
        return path
    }()

    /// The snapshot every trial starts from: the 2,000 small facts.
    static let original: [UInt8] = {
        let directory = try! CLI.temporaryDirectory()
        let run = try! CLI.run(["ingest", CLI.smallFacts, "--cube", CLI.cubeDefinition, "--out", directory + "/subs.ccube"])
        precondition(run.status == 0, run.standardError)
        return [UInt8](FileManager.default.contents(atPath: directory + "/subs.ccube")!)
    }()

    /// The writers of a snapshot, each given the path it writes.
    enum Writer: String, CaseIterable {
        case ingest, append, save

        func command(_ snapshot: String) -> (arguments: [String], input: String?) {
            switch self {
            case .ingest: return (["ingest", FaultTests.largerFacts, "--cube", CLI.cubeDefinition, "--out", snapshot], nil)
            case .append: return (["append", snapshot, FaultTests.largerFacts], nil)
            case .save: return ([FaultTests.largerFacts, "--cube", CLI.cubeDefinition], ".save \(snapshot)\n")
            }
        }

        /// Rows of the snapshot once the writer has finished.
        var rowsAfter: Int { self == .append ? 10_000 : 8_000 }
    }

    @Test(arguments: Writer.allCases)
    func killedWriterLeavesTheSnapshotWhole(writer: Writer) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let snapshot = directory + "/subs.ccube"
        let (arguments, input) = writer.command(snapshot)

        // A run to the end: how long it takes and what the finished snapshot answers.
        #expect(FileManager.default.createFile(atPath: snapshot, contents: Data(Self.original)))
        let oldAnswer = try Self.answer(snapshot)
        let started = ContinuousClock.now
        let complete = try Self.launch(arguments, input: input, in: directory)
        complete.waitUntilExit()
        #expect(complete.terminationStatus == 0)
        let duration = ContinuousClock.now - started
        let newAnswer = try Self.answer(snapshot)
        #expect(newAnswer.hasPrefix("\(writer.rowsAfter),"), "\(newAnswer)")

        var random = SystemRandomNumberGenerator()
        var killedMidSave = 0
        // Six kills, then more until one has landed while the save's temporary file existed.
        var trial = 0
        while trial < 6 || (killedMidSave == 0 && trial < 30) {
            defer { trial += 1 }
            #expect(FileManager.default.createFile(atPath: snapshot, contents: Data(Self.original)))
            let process = try Self.launch(arguments, input: input, in: directory)
            if trial % 2 == 0 && trial < 6 {
                // Anywhere in the run: loading, sorting, encoding or saving.
                Thread.sleep(forTimeInterval: Double.random(in: 0...1, using: &random) * Self.seconds(duration))
            } else {
                // While the temporary file of the save is being written, flushed or renamed: the
                // first a process makes is `.subs.ccube.tmp-<pid>-1`.
                let temporary = directory + "/.subs.ccube.tmp-\(process.processIdentifier)-1"
                let deadline = ContinuousClock.now + duration * 3
                while access(temporary, F_OK) != 0 && process.isRunning && ContinuousClock.now < deadline { usleep(50) }
                usleep(UInt32.random(in: 0...500, using: &random))
            }
            let temporaryAtKill = !Self.temporaryFiles(in: directory).isEmpty
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if temporaryAtKill && process.terminationReason == .uncaughtSignal { killedMidSave += 1 }

            // The old snapshot, or the new one whole: never a damaged or partial file.
            let answer = try Self.answer(snapshot)
            #expect(answer == oldAnswer || answer == newAnswer, "trial \(trial): \(answer)")
            // Opening it removed what the killed writer left.
            let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            #expect(left == ["err.txt", "in.txt", "out.txt", "subs.ccube"], "trial \(trial): \(left)")
        }
        #expect(killedMidSave > 0, "no kill landed while the save's temporary file existed")
    }

    // MARK: - Disk full

    /// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN), tried once.
    static let canMount: Bool = {
        guard let directory = try? CLI.temporaryDirectory() else { return false }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard mount("tmpfs", directory, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount(directory)
        return true
    }()

    /// Runs `body` with a directory on a tmpfs of `kilobytes`, unmounted afterwards whatever happens.
    static func withSmallDisk(kilobytes: Int, _ body: (String) throws -> Void) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try #require(mount("tmpfs", directory, "tmpfs", 0, "size=\(kilobytes)k") == 0, "mount: \(String(cString: strerror(errno)))")
        defer { if umount(directory) != 0 { umount2(directory, Int32(MNT_DETACH)) } }
        try body(directory)
    }

    @Test(.enabled(if: canMount, "mounting a tmpfs to fill needs root (CAP_SYS_ADMIN); skipped"))
    func saveOnAFullDiskFailsAndKeepsTheSnapshot() throws {
        try Self.withSmallDisk(kilobytes: 96) { disk in
            let snapshot = disk + "/subs.ccube"
            #expect(FileManager.default.createFile(atPath: snapshot, contents: Data(Self.original)))
            let oldAnswer = try Self.answer(snapshot)
            for writer in Writer.allCases {
                let (arguments, input) = writer.command(snapshot)
                let run = try CLI.run(arguments, input: input)
                #expect(run.status == 1, "\(writer): \(run.standardError)")
                #expect(run.standardError.contains("\(snapshot): cannot save the snapshot: No space left on device"), "\(writer): \(run.standardError)")
                #expect(try Self.answer(snapshot) == oldAnswer, "\(writer)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: disk) == ["subs.ccube"], "\(writer)")
            }
        }
    }

    @Test(.enabled(if: canMount, "mounting a tmpfs to fill needs root (CAP_SYS_ADMIN); skipped"))
    func outputToAFullDiskIsAnError() throws {
        try Self.withSmallDisk(kilobytes: 32) { disk in
            let file = disk + "/rows.csv"
            let script = """
                .mode csv
                .output \(file)
                SELECT * FROM subscriptions;
                .output
                SELECT COUNT(*) FROM subscriptions;

                """
            let run = try CLI.runOnSmallFacts(["--continue-on-error"], input: script)
            #expect(run.status == 1, "\(run.standardError)")
            #expect(run.standardError.contains("stdin:3:1: error: cannot write to '\(file)': No space left on device"), "\(run.standardError)")
            #expect(run.standardOutput == "COUNT(*)\n2000\n", "\(run.standardOutput)")
            // What fitted is there, up to where the disk filled.
            let written = try String(contentsOfFile: file, encoding: .utf8)
            #expect(written.hasPrefix("account_id,period,"))
            #expect(written.utf8.count > 16_000)
        }
    }

    // MARK: - Helpers

    /// The snapshot's row count and checksum of its money, from a fresh process that opens it.
    static func answer(_ snapshot: String) throws -> String {
        let run = try CLI.run(["-c", "SELECT COUNT(*), SUM(mrr_start), COUNT(DISTINCT account_id) FROM subscriptions;",
                               snapshot, "--format", "csv"])
        guard run.status == 0 else { return "failed: \(run.standardError)" }
        return run.standardOutput.split(separator: "\n").dropFirst().joined(separator: "|")
    }

    /// Starts the binary with standard streams on files of `directory`.
    static func launch(_ arguments: [String], input: String?, in directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLI.packageRoot)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        for name in ["in.txt", "out.txt", "err.txt"] { _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: nil) }
        try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: directory + "/in.txt"))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: directory + "/in.txt"))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/out.txt"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/err.txt"))
        try process.run()
        return process
    }

    static func temporaryFiles(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.contains(".tmp-") }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
