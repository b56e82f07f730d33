import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The REPL in a real terminal: a detached tmux session driven with send-keys and read with
/// capture-pane. HOME is a temporary directory so history starts empty.
final class TerminalSession {
    let name = "churncube-test-\(UUID().uuidString.prefix(8))"
    let home: String

    init(home: String, arguments: [String], environment: [String: String] = [:], width: Int = 200, height: Int = 50) throws {
        self.home = home
        var variables = ["HOME": home, "NO_COLOR": "1", "TERM": "xterm"]
        for (key, value) in environment { variables[key] = value }
        let exports = variables.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let command = "cd '\(CLI.packageRoot)' && env \(exports) '\(CLI.binary)' "
            + arguments.map { "'\($0)'" }.joined(separator: " ") + "; echo \"EXITED $?\"; sleep 60"
        try Self.tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), command])
    }

    deinit {
        _ = try? Self.tmux(["kill-session", "-t", name])
    }

    /// Types text literally (a `;` is sent on its own, since tmux reads a trailing one as a separator).
    func type(_ text: String) throws {
        for (index, piece) in text.split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { try Self.tmux(["send-keys", "-t", name, "-H", "3b"]) }
            if !piece.isEmpty { try Self.tmux(["send-keys", "-t", name, "-l", String(piece)]) }
        }
    }

    /// Presses keys by tmux name: Enter, Tab, Up, C-c, C-d.
    func press(_ keys: String...) throws {
        try Self.tmux(["send-keys", "-t", name] + keys)
    }

    func screen() throws -> String {
        try Self.tmux(["capture-pane", "-p", "-t", name])
    }

    /// Everything the session printed, the lines scrolled off the screen too; with `joined`, a
    /// line the terminal wrapped is one line again, so its length shows whether it fit.
    func scrollback(joined: Bool = false) throws -> String {
        try Self.tmux(["capture-pane", "-p", "-S", "-"] + (joined ? ["-J"] : []) + ["-t", name])
    }

    /// Polls the screen until `condition` holds, or fails after `timeout` seconds.
    @discardableResult
    func waitFor(timeout: Double = 20, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Timeout(screen: last)
    }

    struct Timeout: Error, CustomStringConvertible {
        var screen: String
        var description: String { "timed out; the screen was:\n\(screen)" }
    }

    /// The lines of the screen without trailing blanks.
    static func lines(_ screen: String) -> [String] {
        var lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var text = String(line)
            while text.last == " " { text.removeLast() }
            return text
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The tests' own tmux server (`tmux -L`), apart from any the user runs. A keeper session
    /// living as long as the test process holds the server up between tests: a server left
    /// without sessions exits, and the next test would race its shutdown.
    static let socket: String = {
        let name = "churncube-tests-\(getpid())"
        _ = try? run(socket: name, ["new-session", "-d", "-s", "keeper", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done"])
        return name
    }()

    /// Runs a tmux command and returns what it printed. It is spawned and reaped directly with
    /// posix_spawn and waitpid, its output going through a file: the first command starts the
    /// tmux server, which inherits the client's descriptors, so a pipe would never report its end.
    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        try run(socket: socket, arguments)
    }

    /// This process's open descriptors beyond standard input, output and error.
    private static func inheritedDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.filter { $0 > 2 }
    }

    private static func run(socket: String, _ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // The first command starts the server, which would otherwise keep open the pipes of
        // commands other tests run meanwhile, so that their reads never end. (glibc ignores
        // closing a descriptor closed since it was listed.)
        for descriptor in inheritedDescriptors() {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv = (["tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }
}
