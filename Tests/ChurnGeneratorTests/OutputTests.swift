import Foundation
import Testing
@testable import ChurnGenerator

@Suite struct OutputTests {
    private func formatted(_ fill: (inout OutputBuffer) -> Void) throws -> String {
        var buffer = OutputBuffer(capacity: 256)
        fill(&buffer)
        var sink = MemorySink()
        try buffer.flush(to: &sink)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    @Test func formatsCentsWithTwoDecimals() throws {
        let text = try formatted { buffer in
            for cents in [0, 5, 99, 100, 12_345, 1_000_000_007] {
                buffer.appendCents(cents)
                buffer.appendComma()
            }
        }
        #expect(text == "0.00,0.05,0.99,1.00,123.45,10000000.07,")
    }

    @Test func padsIntegersOnlyWhenAsked() throws {
        let text = try formatted { buffer in
            buffer.appendDecimal(42, minimumDigits: 7)
            buffer.appendComma()
            buffer.appendDecimal(12_345_678, minimumDigits: 7)
            buffer.appendComma()
            buffer.appendDecimal(0)
            buffer.appendComma()
            buffer.appendOptional(nil)
        }
        #expect(text == "0000042,12345678,0,")
    }

    @Test func atomicSinkPublishesOnlyOnCommit() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("churn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("facts.csv").path

        do {
            // A run that fails part way drops its sink without a commit.
            var abandoned = try AtomicFileSink(path: path)
            try FactGenerator(options: GeneratorOptions(rows: 10)).write(to: &abandoned)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 1)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "abandoned file left behind")

        var sink = try AtomicFileSink(path: path)
        try FactGenerator(options: GeneratorOptions(rows: 10)).write(to: &sink)
        #expect(!FileManager.default.fileExists(atPath: path), "visible before commit")
        try sink.commit()
        let written = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(written) == FactGenerator(options: GeneratorOptions(rows: 10)).bytes())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["facts.csv"])
    }

    @Test func unwritableDirectoryIsNamedInTheError() {
        let path = "/nonexistent-churn-directory/facts.csv"
        #expect {
            _ = try AtomicFileSink(path: path)
        } throws: { error in
            guard case .refused(let named, _) = error as? OutputError else { return false }
            return named == path && "\(error)".contains("/nonexistent-churn-directory")
        }
    }

    @Test func theSinkWritesThroughALinkKeepsTheModeAndRefusesDevices() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("churn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("real.csv").path
        let link = directory.appendingPathComponent("link.csv").path
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: real)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)

        var sink = try AtomicFileSink(path: link)
        try FactGenerator(options: GeneratorOptions(rows: 10)).write(to: &sink)
        try sink.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(Array(try #require(FileManager.default.contents(atPath: real))) == FactGenerator(options: GeneratorOptions(rows: 10)).bytes())
        let mode = try FileManager.default.attributesOfItem(atPath: real)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        #expect {
            _ = try AtomicFileSink(path: "/dev/null")
        } throws: { error in
            guard case .refused("/dev/null", let reason) = error as? OutputError else { return false }
            return reason == "it is a character device, not a regular file"
        }
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["link.csv", "real.csv"])
    }
}
