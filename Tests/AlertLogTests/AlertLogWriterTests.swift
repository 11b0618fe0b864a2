import AlertLog
import Foundation
import Store
import Testing

@Suite struct AlertLogWriterTests {
    let folder: URL
    var path: String { folder.appendingPathComponent("alerts.jsonl").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("alertlog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func alert(_ id: Int64) -> Alert {
        Alert(
            id: id, time: Date(timeIntervalSince1970: 1_790_000_000), topic: "militia-attack", severity: "high",
            score: 2.5, modality: "reported_fact", feed: .init(name: "demo", url: "https://example.org/rss"),
            item: .init(title: "هجوم على قاعدة", link: "https://example.org/1", published: nil, guid: "g\(id)"),
            language: "ar", evidence: [], entities: [], quantities: [], story: id, sources: 1)
    }

    func lines() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func writesOneJSONLinePerAlertAndNeverADuplicate() throws {
        let log = try AlertLogWriter(path: path)
        #expect(try log.append([alert(1), alert(2)]) == 2)
        #expect(try log.append([alert(2), alert(3)]) == 1)
        #expect(log.lastWrittenID == 3)
        let written = try lines()
        #expect(written.count == 3)
        let decoded = try written.map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(decoded.map { $0?["id"] as? Int } == [1, 2, 3])
        #expect((decoded[0]?["item"] as? [String: Any])?["title"] as? String == "هجوم على قاعدة")
        #expect(written[0].contains("هجوم"), "Arabic stays readable UTF-8, not \\u escapes")
    }

    @Test func alertsOutOfOrderAreWrittenInIDOrderAndOnlyOnce() throws {
        let log = try AlertLogWriter(path: path)
        #expect(try log.append([alert(3), alert(1)]) == 2)
        #expect(try log.append([alert(6), alert(2), alert(4), alert(3)]) == 2)
        let ids = try lines().map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .map { $0?["id"] as? Int }
        #expect(ids == [1, 3, 4, 6])
        #expect(log.lastWrittenID == 6)
    }

    @Test func reopeningReadsTheLastIDBack() throws {
        try AlertLogWriter(path: path).append([alert(1), alert(2)])
        let reopened = try AlertLogWriter(path: path)
        #expect(reopened.lastWrittenID == 2)
        #expect(try AlertLogWriter.lastID(inLogAt: path) == 2)
        #expect(try reopened.append([alert(1), alert(2)]) == 0)
    }

    @Test func aLineTornByACrashIsCutOffAndWrittenAgain() throws {
        try AlertLogWriter(path: path).append([alert(1), alert(2)])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"id":3,"time":"2026-"#.utf8))
        try handle.close()

        let log = try AlertLogWriter(path: path)
        #expect(log.lastWrittenID == 2)
        try log.append([alert(3)])
        let written = try lines()
        #expect(written.count == 3)
        #expect(written.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test func missingLogMeansNothingWritten() throws {
        #expect(try AlertLogWriter.lastID(inLogAt: path) == 0)
    }

    @Test func aLogThatIsNotAlertsIsRefusedWithItsPath() throws {
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try AlertLogWriter(path: path)
        } throws: { error in
            (error as? AlertLogError)?.path == path
        }
    }

    @Test func reopenFollowsLogrotate() throws {
        let log = try AlertLogWriter(path: path)
        try log.append([alert(1)])
        let rotated = path + ".1"
        try FileManager.default.moveItem(atPath: path, toPath: rotated)
        try log.reopen()
        try log.append([alert(2)])
        #expect(try lines().count == 1)
        #expect(try AlertLogWriter.lastID(inLogAt: path) == 2)
        #expect(try AlertLogWriter.lastID(inLogAt: rotated) == 1)
    }

    @Test func aRestartAfterRotationContinuesAfterTheRotatedLog() throws {
        try AlertLogWriter(path: path).append([alert(1), alert(2)])
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try Data("not an alert log\n".utf8).write(to: URL(fileURLWithPath: path + ".2.gz"))
        let log = try AlertLogWriter(path: path)
        #expect(log.lastWrittenID == 2)
        #expect(try log.append([alert(1), alert(2), alert(3)]) == 1)
        #expect(try lines().count == 1)
    }

    @Test func aSecondWriterOnTheSameLogIsRefused() throws {
        let first = try AlertLogWriter(path: path)
        #expect {
            try AlertLogWriter(path: path)
        } throws: { error in
            (error as? AlertLogError)?.message.contains("another feedwatch") == true
        }
        try first.append([alert(1)])
        #expect(try lines().count == 1)
    }

    @Test func onlyLogrotateNamesCountAsRotatedLogs() throws {
        try AlertLogWriter(path: path).append([alert(1), alert(2), alert(3)])
        try FileManager.default.moveItem(atPath: path, toPath: path + ".bak")
        #expect(try AlertLogWriter(path: path).lastWrittenID == 0, "a .bak copy is not a rotation")
    }
}
