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
            if let since, Alerts.parseSince(since, now: Date()) == nil {
                throw ValidationError("--since '\(since)': write a duration (30m, 24h, 7d) or a date (2026-11-29)")
            }
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

    /// `feedwatch prune`: apply the retention now.
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove alerts, items and analyses older than the retention; keep the keys of removed items.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "Keep this much: a duration such as 90d (default: the config's retention, else 90d).")
        var olderThan: String?

        func validate() throws {
            if let olderThan {
                guard let keep = Self.duration(olderThan) else {
                    throw ValidationError("--older-than '\(olderThan)': write a duration such as 30d or 12w")
                }
                if keep < RetentionLimits.minimum {
                    throw ValidationError("--older-than '\(olderThan)': keep at least 7 days (stories stay open 72 hours, bursts look back a day)")
                }
            }
        }

        func run() async throws {
            let loaded = try loadConfiguration(options.config)
            let keep = olderThan.flatMap(Self.duration) ?? loaded.config.retention ?? 90 * 86400
            let store = try openExistingStore(loaded.config.databasePath, command: "prune")
            let cutoff = Date().addingTimeInterval(-keep)
            do {
                // Alerts the log does not hold yet (the daemon may be catching up) are kept.
                let logged = try AlertLogWriter.lastLoggedID(at: loaded.config.alertLogPath)
                let report = try await store.prune(before: cutoff, keepingAlertsAfter: logged)
                print(
                    "pruned \(report.alerts) alert(s), \(report.items) item(s) with their analyses, \(report.stories) "
                        + "stor\(report.stories == 1 ? "y" : "ies") from before \(cutoff.formatted(.iso8601))")
            } catch {
                printError("feedwatch prune: \(error)")
                throw ExitCode(1)
            }
        }

        static func duration(_ text: String) -> TimeInterval? {
            let units: [Character: Double] = ["h": 3600, "d": 86400, "w": 604800]
            guard let unit = text.last, let factor = units[unit], let value = Double(text.dropLast()), value > 0 else {
                return nil
            }
            return value * factor
        }
    }
}
