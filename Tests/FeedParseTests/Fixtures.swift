import Foundation

/// Locates test data: this package's fixtures, and the shared public feed corpus when it is present.
enum Fixtures {
    /// `Tests/` of the package (this file lives in `Tests/FeedParseTests/`).
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// The bytes of `Tests/Fixtures/FeedParse/<name>`.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = testsDirectory.appendingPathComponent("Fixtures/FeedParse/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    /// `../shared/feeds` next to the package root: public feed fixtures with expected outputs.
    static let sharedFeeds = testsDirectory.deletingLastPathComponent()
        .appendingPathComponent("../shared/feeds").standardizedFileURL

    static var sharedFeedsAvailable: Bool {
        FileManager.default.fileExists(atPath: sharedFeeds.path)
    }
}

extension String {
    /// The UTF-8 bytes of the string, as `FeedParser.parse` takes them.
    var bytes: [UInt8] { Array(utf8) }
}

/// An instant written as RFC 3339 in UTC, for expected values.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad expected date \(text)") }
    return date
}
