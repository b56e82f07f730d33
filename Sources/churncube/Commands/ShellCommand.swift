import ArgumentParser
import ChurnModel
import Foundation

/// `churncube [data]`: the interactive shell, or a batch run of a script (`-f`), of statements
/// given on the command line (`-c`) or of standard input when it is not a terminal.
struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Query a cube: an interactive shell, or a batch run of statements (the default command).",
        discussion: """
            With no data argument the bundled sample cube opens (Samples/subscriptions.csv.zst with \
            Cubes/subscriptions.yaml). A .ccube file opens as a snapshot; anything else loads as CSV. \
            On a terminal the shell is interactive; with -f, -c or statements piped in it runs them \
            and exits. 'churncube shell ...' and 'churncube ...' are the same command.

            Exit status: 0 all statements ran, 1 a statement failed, 2 bad command line or data \
            that cannot be opened, 130 interrupted.
            """
    )

    @Argument(help: ArgumentHelp("A CSV file (optionally .zst) or a snapshot; the sample cube if omitted.", valueName: "data"))
    var data: String?

    @Option(help: ArgumentHelp("Cube definition (YAML) for a CSV file.", valueName: "path"))
    var cube: String?

    @Option(help: ArgumentHelp("Run on a Spark Connect server instead of in memory (builds with the Spark trait).", valueName: "sc://host:port"))
    var engine: String?

    @Option(help: ArgumentHelp("The facts' table on the --engine server.", valueName: "name"))
    var table: String?

    @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp("Run the script, then exit ('-' for standard input).", valueName: "script.cq"))
    var file: String?

    @Option(name: [.customShort("c"), .customLong("command")], help: ArgumentHelp("Run these statements, then exit.", valueName: "statements"))
    var command: String?

    @Option(help: ArgumentHelp("How results print; .mode in a script changes it.", valueName: "format"))
    var format: OutputMode = .table

    @Flag(help: "Print 'Run Time: <seconds> s, <N> rows' on standard error after each statement.")
    var timer = false

    @Flag(help: "Go on after a failing statement (the exit status is still 1).")
    var continueOnError = false

    func validate() throws {
        if file != nil && command != nil { throw ValidationError("give either -f or -c, not both") }
        if engine != nil && data != nil { throw ValidationError("give either a data file or --engine, not both") }
        if table != nil && engine == nil && cube == nil { throw ValidationError("--table needs --engine (or a cube definition with a source: section)") }
    }

    func run() throws {
        let script: (text: String, origin: ScriptOrigin)?
        if let command {
            script = (command, .commandLine)
        } else if let file {
            if file == "-" {
                script = (Self.readStandardInput(), .standardInput)
            } else {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    Console.error("churncube: cannot read script '\(file)': \(FileManager.default.fileExists(atPath: file) ? "not UTF-8 text" : "no such file")")
                    throw ExitCode(2)
                }
                script = (text, .file(file))
            }
        } else if isatty(STDIN_FILENO) == 0 {
            script = (Self.readStandardInput(), .standardInput)
        } else {
            script = nil
        }
        let interactive = script == nil

        let opened: DataOpener.Opened
        do {
            let progress = interactive ? ProgressBar(enabled: isatty(STDERR_FILENO) == 1, label: "loading") : nil
            if engine != nil || (data == nil && cube.flatMap(Self.remoteSource) != nil) {
                opened = try DataOpener.openRemote(url: engine, table: table, cubePath: cube)
            } else {
                opened = try DataOpener.open(data: data, cubePath: cube, progress: progress)
            }
        } catch {
            Console.error("churncube: \(error.description)")
            throw ExitCode(2)
        }

        let session: Session
        do {
            session = try Session(opened: opened, mode: format, timer: timer, bail: !continueOnError, interactive: interactive)
        } catch {
            Console.error("churncube: cube '\(opened.cube.name)': \(error)")
            throw ExitCode(2)
        }
        InterruptSignal.install(exitOnRepeat: !interactive)
        guard let script else {
            let rows = NumberText.count(opened.rowCount, "row")
            session.print("churncube: cube '\(opened.cube.name)', \(rows) from \(opened.source) (\(String(format: "%.2f", opened.seconds)) s)")
            session.print("Statements end with ';'. Enter .help for commands, Tab to complete, Ctrl-D to leave.")
            Repl(session: session, history: HistoryFile.standard(environment: ProcessInfo.processInfo.environment)).run()
            return
        }
        switch session.runScript(script.text, origin: script.origin) {
        case .succeeded, .quit: return
        case .failed: throw ExitCode(1)
        case .interrupted: throw ExitCode(130)
        }
    }

    /// The `source:` of a cube definition, when it names one (a definition that does not load
    /// reports its error when the CSV path opens it).
    private static func remoteSource(_ cubePath: String) -> RemoteSource? {
        (try? CubeDefinition.load(path: cubePath))?.source
    }

    private static func readStandardInput() -> String {
        String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
}
