import Foundation

/// Paths to the package and to `../shared`, found from this file's location.
public enum TestPaths {
    /// The package root (the folder that holds Package.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures`.
    public static let fixtures: URL = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// `../shared` beside the package, where the seed article and corpora live.
    public static let shared: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// True when `../shared` is present.
    public static var sharedIsAvailable: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("seed").path)
    }

    /// The seed article, or nil (with a message on stderr) when `../shared` is absent.
    public static func seedArticle() -> String? {
        let url = shared.appendingPathComponent("seed/article-ar-kadhimi-trump.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            FileHandle.standardError.write(Data("skipped: \(url.path) is absent (../shared not present)\n".utf8))
            return nil
        }
        return text
    }

    /// A new empty temporary folder, unique to the caller.
    public static func makeTemporaryFolder(_ label: String = "feedwatch-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The built `feedwatch` executable, next to the test bundle.
    public static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("feedwatch")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appendingPathComponent(".build/debug/feedwatch")
    }

    /// The first lines of a test feedwatch.yaml: the database and the alert log under `state/` beside the
    /// config, and the shipped topics and entities. Interpolate it at the top of a config literal.
    public static var configHead: String {
        let shipped = packageRoot.appendingPathComponent("Config")
        return """
            database: state/feedwatch.sqlite
            alert_log: state/alerts.jsonl
            topics: \(shipped.appendingPathComponent("topics.yaml").path)
            entities: \(shipped.appendingPathComponent("entities.yaml").path)
            """
    }
}
