import ChurnGenerator
import Foundation

/// A one-line progress bar on standard error, drawn only on a terminal and at most ~10 times a second.
final class ProgressBar: @unchecked Sendable {
    /// What the counts are: bytes of input, or rows written.
    enum Unit { case bytes, rows, tasks }

    private let enabled: Bool
    private let label: String
    private let unit: Unit
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let started = Date()

    init(enabled: Bool, label: String, unit: Unit = .bytes) {
        self.enabled = enabled
        self.label = label
        self.unit = unit
    }

    func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let text = String(format: "\r%@ %@ %3.0f%%  %@ of %@  %.1f s", label, bar, fraction * 100,
                          amount(done), amount(total) + (unit == .rows ? " rows" : unit == .tasks ? " tasks" : ""), now.timeIntervalSince(started))
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func amount(_ count: Int) -> String {
        unit == .bytes ? NumberText.bytes(count) : NumberText.grouped(count)
    }

    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
