import Foundation

/// Finds the bundled sample (`Samples/subscriptions.csv.zst` with `Cubes/subscriptions.yaml`):
/// in the current directory, else in the directories above the executable
/// (`<package>/.build/<config>/churncube` walks up to `<package>`).
enum SampleLocator {
    static let dataPath = "Samples/subscriptions.csv.zst"
    static let cubePath = "Cubes/subscriptions.yaml"

    static func locate(currentDirectory: String = FileManager.default.currentDirectoryPath,
                       executablePath: String? = Bundle.main.executablePath) -> (data: String, cube: String)? {
        var candidates = [URL(fileURLWithPath: currentDirectory)]
        if let executablePath {
            var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" && !directory.path.isEmpty {
                candidates.append(directory)
                directory = directory.deletingLastPathComponent()
            }
        }
        for root in candidates {
            let data = root.appendingPathComponent(dataPath).path
            let cube = root.appendingPathComponent(cubePath).path
            if FileManager.default.fileExists(atPath: data) && FileManager.default.fileExists(atPath: cube) {
                return (relative(data, to: currentDirectory), relative(cube, to: currentDirectory))
            }
        }
        return nil
    }

    /// A path under the current directory is shown relative to it.
    private static func relative(_ path: String, to directory: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
