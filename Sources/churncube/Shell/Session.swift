import ChurnModel
import ChurnQuery
import ChurnSyntax
import Foundation

/// The shell's state and the one place statements and dot-commands run, for the REPL and for
/// batch scripts alike: the open cube, output mode and target, timer and bail settings.
final class Session {
    private(set) var cube: Cube
    private(set) var source: String
    private var executor: StatementExecutor
    var mode: OutputMode
    var output = OutputTarget()
    var timer: Bool
    /// Stop a script at its first failing statement.
    var bail: Bool
    /// True for the interactive REPL: long tables are cut and colour is allowed on a terminal.
    let interactive: Bool
    let environment: [String: String]

    init(opened: DataOpener.Opened, mode: OutputMode, timer: Bool, bail: Bool, interactive: Bool,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        executor = try StatementExecutor(cube: opened.cube)
        cube = opened.cube
        source = opened.source
        self.mode = mode
        self.timer = timer
        self.bail = bail
        self.interactive = interactive
        self.environment = environment
    }

    /// Replaces the open cube (`.open`).
    func replaceCube(with opened: DataOpener.Opened) throws {
        executor = try StatementExecutor(cube: opened.cube)
        cube = opened.cube
        source = opened.source
    }

    // MARK: - Scripts

    /// Runs every statement and dot-command of `text`. With `bail` set, stops at the first
    /// failure; otherwise goes on and reports `.failed` at the end if anything failed.
    func runScript(_ text: String, origin: ScriptOrigin) -> RunOutcome {
        var failed = false
        for unit in ScriptSplitter.split(text).allUnits {
            switch run(unit, origin: origin) {
            case .succeeded: continue
            case .failed:
                failed = true
                if bail && !origin.isInteractive { return .failed }
            case .quit: return .quit
            case .interrupted: return .interrupted
            }
        }
        return failed ? .failed : .succeeded
    }

    func run(_ unit: ScriptUnit, origin: ScriptOrigin) -> RunOutcome {
        let outcome: RunOutcome
        switch unit.kind {
        case .dotCommand: outcome = runDotCommand(unit, origin: origin)
        case .statement: outcome = runStatement(unit, origin: origin)
        }
        // Results that did not reach their file (a full disk) fail the statement that made them.
        if let failure = output.takeFailure() {
            reportMessage(failure, in: unit, origin: origin)
            return outcome == .quit || outcome == .interrupted ? outcome : .failed
        }
        return outcome
    }

    // MARK: - Statements

    private func runStatement(_ unit: ScriptUnit, origin: ScriptOrigin) -> RunOutcome {
        let cancellation = InterruptSignal.cancellation
        cancellation.reset()
        _ = InterruptSignal.takePending()
        let started = ContinuousClock.now
        do {
            let statement = try Parser.parseStatement(unit.text)
            try TestHooks.delayStatement(cancellation: cancellation)
            let result = try executor.execute(statement, cancellation: cancellation)
            // The timer measures parsing and execution, not printing, like a database's own timer.
            let elapsed = ContinuousClock.now - started
            show(result)
            reportTime(elapsed, rows: result.rows.count)
            return .succeeded
        } catch {
            reportTime(ContinuousClock.now - started, rows: nil)
            if cancellation.isCancelled {
                // On a terminal the line holds the echoed ^C: end it first.
                Console.error(origin.isInteractive ? "\ncancelled" : "\(origin.name):\(unit.line):\(unit.column): cancelled")
                return .interrupted
            }
            report(error, in: unit, origin: origin)
            return .failed
        }
    }

    /// Prints the caret diagnostic for located errors, `origin:line:col: error: message` otherwise.
    func report(_ error: any Error, in unit: ScriptUnit, origin: ScriptOrigin) {
        if let diagnostic = StatementExecutor.diagnostic(of: error) {
            Console.error(diagnostic.render(source: unit.text, origin: origin.name, baseLine: unit.line, baseColumn: unit.column))
        } else {
            reportMessage("\(error)", in: unit, origin: origin)
        }
    }

    func reportMessage(_ message: String, in unit: ScriptUnit, origin: ScriptOrigin) {
        if origin.isInteractive {
            Console.error("Error: \(message)")
        } else {
            Console.error("\(origin.name):\(unit.line):\(unit.column): error: \(message)")
        }
    }

    /// `Run Time: <seconds> s, <N> rows` (no row count for a failed statement).
    private func reportTime(_ elapsed: Duration, rows: Int?) {
        guard timer else { return }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var line = String(format: "Run Time: %.6f s", seconds)
        if let rows { line += ", \(rows) \(rows == 1 ? "row" : "rows")" }
        Console.error(line)
    }

    // MARK: - Output

    var style: TerminalStyle {
        TerminalStyle.detect(isTerminal: output.isTerminal, environment: environment)
    }

    func show(_ result: QueryResult) {
        let renderer = ResultRenderer(mode: mode, style: style, truncates: interactive && output.isTerminal)
        let text = renderer.render(result)
        if !text.isEmpty { output.writeLine(text) }
    }

    /// Prints text that is not a query result (listings of dot-commands) to the output.
    func print(_ text: String) {
        output.writeLine(text)
    }
}
