/// Where statements come from, for error messages: a script file, `-c`, standard input, or the
/// interactive prompt.
struct ScriptOrigin {
    /// Shown before `:line:col` in messages: the script path, `command-line`, `stdin` or `query`.
    var name: String
    var isInteractive: Bool

    static let prompt = ScriptOrigin(name: "query", isInteractive: true)
    static let commandLine = ScriptOrigin(name: "command-line", isInteractive: false)
    static let standardInput = ScriptOrigin(name: "stdin", isInteractive: false)

    static func file(_ path: String) -> ScriptOrigin { ScriptOrigin(name: path, isInteractive: false) }
}

/// How running a unit or a script ended.
enum RunOutcome: Equatable {
    case succeeded
    case failed
    /// `.quit` or `.exit`.
    case quit
    /// Ctrl-C stopped a statement.
    case interrupted
}
