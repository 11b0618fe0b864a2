import Foundation
import Store
import Synchronization
import TestSupport
import Testing

/// A synthetic news day replayed through the real pipeline: six stories, each reported by ten feeds (five
/// Arabic, five English, each with its own dateline and sign-off), appearing over two polls. One alert per
/// (story, topic) is the goal; the test measures the duplicate-alert rate and checks no story mixes two events.
@Suite struct StoryReplayTests {
    struct Day: Decodable {
        struct Report: Decodable {
            var title: String
            var text: String
        }
        struct Story: Decodable {
            var id: String
            var ar: Report
            var en: Report
        }
        var stories: [Story]
    }

    static let arabicDatelines = ["بغداد -", "الأنبار (مراسلنا) -", "أربيل - خاص", "البصرة - متابعة", "عاجل |"]
    static let englishDatelines = ["BAGHDAD (Wire) -", "ERBIL, Iraq -", "By our Iraq desk:", "BASRA -", "Breaking:"]
    static let arabicSignOffs = ["", "المزيد من التفاصيل لاحقا.", "", "تابعونا على موقعنا.", ""]
    static let englishSignOffs = ["", "More to follow.", "(Reporting by the newsroom)", "", "Updated with details."]

    /// The RSS of feed `index` (0-4 Arabic, 5-9 English) showing the first `shown` stories.
    static func feed(_ index: Int, stories: [Day.Story], shown: Int) -> [UInt8] {
        let arabic = index < 5
        let slot = index % 5
        let items = stories.prefix(shown).map { story -> String in
            let report = arabic ? story.ar : story.en
            let dateline = arabic ? arabicDatelines[slot] : englishDatelines[slot]
            let signOff = arabic ? arabicSignOffs[slot] : englishSignOffs[slot]
            let title = slot == 4 ? "\(dateline) \(report.title)" : report.title
            return """
                <item><title>\(title)</title><guid>\(story.id)@f\(index)</guid>
                <description>\(dateline) \(report.text) \(signOff)</description></item>
                """
        }
        return Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>feed \(index)</title>\(items.joined())</channel></rss>
            """.utf8)
    }

    @Test(.timeLimit(.minutes(1)))
    func tenFeedsInTwoLanguagesAlertOncePerStoryAndTopic() async throws {
        let fixture = TestPaths.fixtures.appendingPathComponent("stories/replay-day.json")
        let day = try JSONDecoder().decode(Day.self, from: Data(contentsOf: fixture))
        let polls = Mutex<[String: Int]>([:])
        let server = try TestServer { request in
            let index = Int(request.path.dropFirst(2)) ?? 0
            let count = polls.withLock { counts -> Int in
                counts[request.path, default: 0] += 1
                return counts[request.path]!
            }
            // First poll: the first half of the day's stories; later polls: all of them.
            let shown = count == 1 ? day.stories.count / 2 : day.stories.count
            return .respond(
                status: 200, headers: MonitorHarness.rssType, body: Self.feed(index, stories: day.stories, shown: shown))
        }
        defer { server.stop() }
        let feeds = (0..<10).map { MonitorHarness.Feed(url: server.url("/f\($0)"), name: "feed\($0)") }
        let harness = try MonitorHarness("replay", feeds: feeds)

        _ = try await harness.cycle()
        _ = try await harness.cycle()

        let alerts = try await harness.store.alerts(after: 0)
        func event(_ guid: String) -> String { String(guid.prefix { $0 != "@" }) }
        var perEventTopic: [String: Int] = [:]
        for alert in alerts { perEventTopic["\(event(alert.item.guid)) \(alert.topic)", default: 0] += 1 }
        let duplicates = alerts.count - perEventTopic.count
        let rate = alerts.isEmpty ? 0 : Double(duplicates) / Double(alerts.count)
        let stories = try await harness.store.stories(limit: 1_000)
        let reports = stories.reduce(0) { $0 + $1.sources.count }
        print(
            "story replay: \(day.stories.count) events × 10 feeds = \(reports) alerting reports, \(stories.count) stories, "
                + "\(alerts.count) alerts for \(perEventTopic.count) (event, topic) pairs, duplicate rate "
                + String(format: "%.1f%%", rate * 100))

        #expect(!alerts.isEmpty)
        #expect(Set(alerts.map { event($0.item.guid) }).count == day.stories.count, "every event alerts")
        let languages = stories.map { $0.languages }
        #expect(rate < 0.05, "duplicate alerts: \(perEventTopic.filter { $0.value > 1 })")
        for story in stories {
            let events = Set(story.sources.map { event($0.guid) })
            #expect(events.count == 1, "story \(story.id) mixes \(events.sorted())")
        }
        let bilingual = stories.filter { $0.languages.count == 2 }
        #expect(bilingual.count >= day.stories.count - 1, "Arabic and English reports join: \(languages)")
        // The store counts every report as a source of its story's alerts.
        for alert in try await harness.store.alerts(matching: AlertQuery(), limit: 10_000) {
            let story = stories.first { $0.id == alert.story }
            #expect(alert.sources == story?.sources.count, "alert \(alert.id) counts its story's sources")
        }
    }
}
