import ChurnIngest
import ChurnModel
import ChurnQuery
import Foundation

/// Paths inside the package, for tests that read its bundled files.
enum PackagePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    /// The Python of the project's virtual environment (`.ci/setup --test` makes it), else the PATH's.
    static var python: String {
        let local = path(".venv/bin/python3")
        return FileManager.default.isExecutableFile(atPath: local) ? local : "python3"
    }
}

/// The bundled sample cube, loaded once for all tests that only read it.
enum SampleCube {
    static let engine: QueryEngine = {
        let options = IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml"))
        let (cube, _) = try! CSVLoader.load(path: PackagePaths.path("Samples/subscriptions.csv.zst"), options: options)
        return try! QueryEngine(cube: cube)
    }()
}
