import ChurnIngest
import ChurnModel
import ChurnQuery
import ChurnSyntax
import Foundation
import SparkTestSupport
import Testing

/// Query behaviour as data, in the manner of DuckDB's sqllogictest: each `Behaviour/*.test` file
/// names a cube with `load <name>` (Behaviour/<name>.csv and .yaml), then blocks of
///
///     query                      error                  warning
///     SELECT ...;                SELECT ...;            SELECT ...;
///     ----                       ----                   ----
///     value|value|...            the error message      each warning, one a line
///
/// separated by blank lines. A warning block's statement runs and gives exactly the warnings listed. Values print as text; NULL as `NULL`; a rolled-up cell as `(all)`;
/// decimals with their scale; other numbers with up to 6 significant digits.
@Suite struct BehaviourTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Behaviour")
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".test") }.sorted()

    @Test func everyBehaviourFileIsFound() {
        #expect(Self.files.count >= 5)
    }

    @Test(arguments: files)
    func behaviour(file: String) throws {
        let outcome = try Self.run(file: file, load: Self.load)
        #expect(outcome.blocks > 0)
    }

    /// The same files on a Spark Connect server: each cube's CSV becomes a view there, and every
    /// block must give the same rows, warnings or error.
    @Test(.enabled(if: SparkTestServer.isEnabled, SparkTestServer.skipReason), arguments: files)
    func behaviourOnSpark(file: String) async throws {
        let outcome = try await offCooperativePool {
            try Self.run(file: file, load: { name in
                let definition = try CubeDefinition.load(path: Self.directory.appendingPathComponent("\(name).yaml").path)
                return try SparkTestServer.engine(view: name, csvPath: Self.directory.appendingPathComponent("\(name).csv").path,
                                                  definition: definition)
            })
        }
        #expect(outcome.blocks > 0)
    }

    struct Outcome {
        var blocks = 0
    }

    static func run(file: String, load: (String) throws -> QueryEngine) throws -> Outcome {
        var outcome = Outcome()
        let text = try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var engine: QueryEngine?
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            index += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("load ") {
                engine = try load(String(line.dropFirst(5)))
                continue
            }
            guard line == "query" || line == "error" || line == "warning" else {
                Issue.record("\(file):\(index): expected 'load', 'query', 'error' or 'warning', found '\(line)'")
                return outcome
            }
            let start = index
            var statement: [String] = []
            while index < lines.count && lines[index] != "----" { statement.append(lines[index]); index += 1 }
            index += 1
            var expected: [String] = []
            while index < lines.count && !lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
                expected.append(lines[index])
                index += 1
            }
            guard let engine else {
                Issue.record("\(file):\(start): a block before any 'load'")
                return outcome
            }
            let sql = statement.joined(separator: "\n")
            let attempt = Result { try engine.execute(sql) }
            outcome.blocks += 1
            let location = SourceLocation(fileID: "ChurnQueryTests/Behaviour/\(file)", filePath: file, line: start, column: 1)
            switch (line, attempt) {
            case let ("query", .success(result)):
                let actual = result.rows.map { $0.map(Self.render).joined(separator: "|") }
                #expect(actual == expected, "\(file):\(start): \(sql)", sourceLocation: location)
            case let ("warning", .success(result)):
                #expect(result.warnings.map(Self.render) == expected, "\(file):\(start): \(sql)", sourceLocation: location)
            case ("error", .success):
                Issue.record("\(file):\(start): expected an error: \(sql)", sourceLocation: location)
            case let ("error", .failure(error)):
                #expect("\(error)" == expected.joined(separator: "\n"), "\(file):\(start): \(sql)", sourceLocation: location)
            case let (_, .failure(error)):
                Issue.record("\(file):\(start): \(sql)\nfailed: \(error)", sourceLocation: location)
            default:
                break
            }
        }
        return outcome
    }

    static func load(_ name: String) throws -> QueryEngine {
        var options = IngestOptions(cubePath: Self.directory.appendingPathComponent("\(name).yaml").path)
        // Small row groups, so statistics-based skipping and merging across groups are exercised.
        options.rowGroupSize = 4
        let (cube, _) = try CSVLoader.load(path: directory.appendingPathComponent("\(name).csv").path, options: options)
        return try QueryEngine(cube: cube)
    }

    static func render(_ warning: Diagnostic) -> String {
        warning.text
    }

    static func render(_ value: ResultValue) -> String {
        switch value {
        case .null: return "NULL"
        case .subtotal: return "(all)"
        case let .text(text): return text
        case let .boolean(flag): return flag ? "true" : "false"
        case let .integer(number): return String(number)
        case let .decimal(units, scale):
            let sign = units < 0 ? "-" : ""
            let magnitude = units.magnitude
            let divisor = UInt64(pow10(scale))
            let fraction = String(magnitude % divisor)
            return sign + String(magnitude / divisor) + "." + String(repeating: "0", count: scale - fraction.count) + fraction
        case let .double(number):
            return String(format: "%.6g", number)
        }
    }
}
