import AlertLog
import Analysis
import Foundation
import Store
import TestSupport
import Testing

/// A hostile item cannot break the log or the store: a "number" too large for any count is dropped.
@Suite struct HostileFigureTests {
    @Test(.timeLimit(.minutes(1)))
    func aFourHundredDigitFigureLeavesTheLogAndTheStoreReadable() async throws {
        let huge = String(repeating: "9", count: 400)
        let body = Array(
            """
            <?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>\(huge) rockets hit a base near Baghdad airport</title><guid>huge</guid>
            <description>\(huge) rockets struck the base housing coalition troops, officials said, and 3 soldiers were wounded.</description></item>
            </channel></rss>
            """.utf8)
        let server = try TestServer { _ in .respond(status: 200, headers: MonitorHarness.rssType, body: body) }
        defer { server.stop() }
        let harness = try MonitorHarness("hostile-figure", feeds: [.init(url: server.url("/f"), name: "f")])

        _ = try await harness.cycle()

        let alerts = try await harness.store.alerts(after: 0)
        #expect(!alerts.isEmpty, "the item still alerts")
        #expect(alerts.allSatisfy { $0.quantities.allSatisfy { $0.value.isFinite && $0.value < 1e15 } })
        let lines = try String(contentsOfFile: harness.log.path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == alerts.count)
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(line)") }
    }
}
