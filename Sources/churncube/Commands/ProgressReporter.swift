import ChurnGenerator

/// Shows a one-line percentage on standard error while rows are generated, only on a terminal.
struct ProgressReporter {
    let totalRows: Int
    let enabled: Bool
    private var lastPercent = -1

    init(totalRows: Int, enabled: Bool) {
        self.totalRows = totalRows
        self.enabled = enabled
    }

    mutating func update(rowsWritten: Int) {
        guard enabled, totalRows > 0 else { return }
        let percent = rowsWritten * 100 / totalRows
        guard percent != lastPercent else { return }
        lastPercent = percent
        write("\rgenerating: \(percent)% of \(totalRows) rows")
    }

    func finish() {
        guard enabled, lastPercent >= 0 else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            try? FileDescriptor.standardError.writeAll(UnsafeRawBufferPointer(buffer))
        }
    }
}
