import AlertLog
import ArgumentParser
import Foundation
import Monitor
import Store

extension Feedwatch {
    /// `feedwatch stories`: the story clusters, each with its sources and languages.
    struct Stories: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stories: reports of one event across feeds and languages, with their sources.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "Only stories reported this recently: a duration (30m, 24h, 7d) or a date (2026-11-29).")
        var since: String?

        @Option(help: "Only stories that alerted on this topic id.")
        var topic: String?

        @Option(help: "At most this many stories, the most recently reported first.")
        var limit: Int = 50

        @Flag(help: "Print one JSON object per story.")
        var json = false

        func validate() throws {
            if limit < 0 { throw ValidationError("--limit must not be negative") }
            try Alerts.validateSince(since)
        }

        func run() async throws {
            let loaded = try loadConfiguration(options.config)
            let store = try openExistingStore(loaded.config.databasePath, command: "stories")
            let stories: [StorySummary]
            do {
                stories = try await store.stories(
                    since: since.flatMap { Alerts.parseSince($0, now: Date()) }, topic: topic, limit: limit)
            } catch {
                printError("feedwatch stories: \(error)")
                throw ExitCode(1)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for story in stories {
                    FileHandle.standardOutput.write(try encoder.encode(story) + Data("\n".utf8))
                }
                return
            }
            if stories.isEmpty { print("no stories") }
            let time = ISO8601DateFormatter()
            for story in stories {
                let sources = story.sources.count
                print(
                    "story \(story.id)  \(story.topics.joined(separator: ","))  \(sources) report\(sources == 1 ? "" : "s") "
                        + "in \(story.feeds) feed\(story.feeds == 1 ? "" : "s")  [\(story.languages.joined(separator: ","))]  "
                        + "\(time.string(from: story.firstSeen)) → \(time.string(from: story.lastSeen))")
                print("    \(story.title ?? "(untitled)")")
                for source in story.sources {
                    let how = source.distance.map { "\(source.matchedBy) \($0) bits" } ?? source.matchedBy
                    print("    - \(source.feed) [\(source.language)] \(how): \(source.title ?? source.link ?? "")")
                }
            }
        }
    }
}
