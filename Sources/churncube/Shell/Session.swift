import ChurnModel
import ChurnQuery
import ChurnSyntax
import Foundation

/// The shell's state and the one place statements and dot-commands run, for the REPL and for
/// batch scripts alike: the open cube, output mode and target, timer and bail settings.
final class Session {
    private(set) var cube: Cube
    private(set) var source: String
    /// Fact rows of the open cube, in memory or on its remote engine.
    private(set) var rowCount: Int
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
        executor = try opened.engine.map(StatementExecutor.init(engine:)) ?? StatementExecutor(cube: opened.cube)
        cube = opened.cube
        source = opened.source
        rowCount = opened.rowCount
        self.mode = mode
        self.timer = timer
        self.bail = bail
        self.interactive = interactive
        self.environment = environment
    }

    /// The open cube's measures HOTSPOTS takes, for completion.
    var ratioMeasures: [String] { executor.engine.ratioMeasureNames }

    /// Replaces the open cube (`.open`).
    func replaceCube(with opened: DataOpener.Opened) throws {
        executor = try opened.engine.map(StatementExecutor.init(engine:)) ?? StatementExecutor(cube: opened.cube)
        cube = opened.cube
        source = opened.source
        rowCount = opened.rowCount
    }

    // MARK: - Scripts

    /// Runs every statement and dot-command of `text`. With `bail` set, stops at the first
    /// failure; otherwise goes on and reports `.failed` at the end if anything failed.
    func runScript(_ text: String, origin: ScriptOrigin) -> RunOutcome {
        // At the prompt each entry's results start afresh below it.
        if origin.isInteractive { output.hasResults = false }
        var failed = false
        for unit in ScriptSplitter.split(text).allUnits {
            // Ctrl-C between two units stops the script as it stops a statement.
            if InterruptSignal.cancellation.isCancelled {
                reportCancelled(unit, origin: origin)
                return .interrupted
            }
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

    /// Runs `body` with a progress line on a terminal while a remote engine works on it.
    private func withRemoteProgress<Value>(_ body: () throws -> Value) rethrows -> Value {
        guard let connection = executor.engine.catalog.connection, interactive, isatty(STDERR_FILENO) == 1 else { return try body() }
        let line = ProgressBar(enabled: true, label: "spark", unit: .tasks)
        connection.progress.observe { done, total in line.update(done: done, total: total) }
        defer {
            connection.progress.observe(nil)
            line.finish()
        }
        return try body()
    }

    /// Runs one statement under `InterruptSignal.cancellation`, which the REPL resets before each
    /// line it runs; a batch run is never reset, so one Ctrl-C stops the whole script.
    private func runStatement(_ unit: ScriptUnit, origin: ScriptOrigin) -> RunOutcome {
        let cancellation = InterruptSignal.cancellation
        let started = ContinuousClock.now
        do {
            let statement = try Parser.parseStatement(unit.text)
            try TestHooks.delayStatement(cancellation: cancellation)
            let result = try withRemoteProgress { try executor.execute(statement, cancellation: cancellation) }
            // Ctrl-C as the statement finished: the user asked to stop, so the result is not shown.
            try cancellation.check()
            // The timer measures parsing and execution, not printing, like a database's own timer.
            let elapsed = ContinuousClock.now - started
            for warning in result.warnings { report(warning, in: unit, origin: origin) }
            show(result, statement: unit.text)
            reportTime(elapsed, rows: result.rows.count)
            return .succeeded
        } catch {
            reportTime(ContinuousClock.now - started, rows: nil)
            if cancellation.isCancelled {
                reportCancelled(unit, origin: origin)
                return .interrupted
            }
            report(error, in: unit, origin: origin)
            return .failed
        }
    }

    func reportCancelled(_ unit: ScriptUnit, origin: ScriptOrigin) {
        // On a terminal the line holds the echoed ^C: end it first.
        Console.error(origin.isInteractive ? "\ncancelled" : "\(origin.name):\(unit.line):\(unit.column): cancelled")
    }

    /// Prints a warning on standard error with a caret under its place in the statement.
    func report(_ warning: Diagnostic, in unit: ScriptUnit, origin: ScriptOrigin) {
        guard warning.range != .synthesized else {
            Console.error("warning: " + warning.text)
            return
        }
        Console.error(warning.render(source: unit.text, origin: origin.name, baseLine: unit.line, baseColumn: unit.column))
    }

    /// Prints the caret diagnostic for located errors, `origin:line:col: error: message` otherwise.
    func report(_ error: any Error, in unit: ScriptUnit, origin: ScriptOrigin) {
        if let diagnostic = StatementExecutor.diagnostic(of: error) {
            Console.error(diagnostic.render(source: unit.text, origin: origin.name, baseLine: unit.line, baseColumn: unit.column))
        } else {
            reportMessage("\(error)", in: unit, origin: origin)
        }
        if let note = Self.multiLineStringNote(in: unit) { Console.error(note) }
    }

    /// A string that runs over a line break is most likely a quote left open on an earlier line,
    /// closed by a later one: whatever error followed, the quote is what to fix.
    static func multiLineStringNote(in unit: ScriptUnit) -> String? {
        guard let tokens = try? Lexer.tokenize(unit.text) else { return nil }
        for token in tokens {
            guard case let .string(value) = token.kind, value.contains("\n") else { continue }
            let line = unit.line + token.range.line - 1
            let column = token.range.line == 1 ? unit.column + token.range.column - 1 : token.range.column
            return "note: the string starting at \(line):\(column) runs across lines; is a closing quote missing there?"
        }
        return nil
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

    /// Prints a statement's result; in every mode but json an empty line sets it apart from the
    /// result before it on the same output.
    func show(_ result: QueryResult, statement: String? = nil) {
        let renderer = ResultRenderer(mode: mode, style: style, truncates: interactive && output.isTerminal, width: output.terminalColumns)
        let rendered = renderer.render(result, statement: statement)
        if let note = rendered.note { Console.error(note) }
        guard !rendered.body.isEmpty else { return }
        if renderer.separatesResults && output.hasResults { output.writeLine("") }
        output.writeLine(rendered.body)
        output.hasResults = true
    }

    /// Prints text that is not a query result (listings of dot-commands) to the output.
    func print(_ text: String) {
        output.writeLine(text)
    }
}
