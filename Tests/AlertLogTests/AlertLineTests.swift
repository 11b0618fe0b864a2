import AlertLog
import Analysis
import Foundation
import Store
import Testing

/// The hand-written alert line is the same JSON value `JSONEncoder` makes of the alert, and decodes back to it.
@Suite struct AlertLineTests {
    static func alert(kind: Alert.Kind, change: String? = nil, burst: Alert.Burst? = nil, link: String? = nil) -> Alert {
        Alert(
            id: 42, time: Date(timeIntervalSince1970: 1_795_000_000), topic: "militia-attack", severity: "high",
            score: 2.5, modality: "reported_fact", feed: Alert.Feed(name: "Wire \"ar\"", url: "https://a.example/rss/ar"),
            item: Alert.Item(title: "هجوم بطائرة مسيرة\nعلى قاعدة", link: link, published: Date(timeIntervalSince1970: 1_794_999_000), guid: "g/1"),
            language: "ar",
            evidence: [Evidence(text: "هجوم \\ \"مسير\"", start: 3, end: 17, terms: ["هجوم"], field: "text", rule: "r1", modality: .threat)],
            entities: [EntityMatch(id: "erbil", type: "place", name: "Erbil", mentions: [EntityMention(text: "أربيل", start: 20, end: 25, field: "text", confidence: "high")])],
            quantities: [Quantity(value: 2, unit: "drones", text: "طائرتين", start: 30, end: 37, field: "text", approximate: false)],
            story: 7, sources: 3, kind: kind, change: change, burst: burst)
    }

    @Test(arguments: [
        alert(kind: .new, link: "https://a.example/x?a=1&b=2"),
        alert(kind: .update, change: "killed 2 → 5"),
        alert(kind: .burst, burst: Alert.Burst(stories: 9, baseline: 1.25, ratio: 7.2, sources: 4)),
    ])
    func theLineIsTheEncoderJSONAndDecodesBack(alert: Alert) throws {
        let line = AlertLogWriter.line(for: alert)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(!line.dropLast().contains(UInt8(ascii: "\n")), "one line, whatever the text holds")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let expected = try JSONSerialization.jsonObject(with: encoder.encode(alert)) as? NSDictionary
        let actual = try JSONSerialization.jsonObject(with: Data(line)) as? NSDictionary
        #expect(actual == expected)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(Alert.self, from: Data(line)) == alert)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix(#"{"id":42,"time":"2026-11-18T11:06:40Z","topic":"militia-attack","kind":"#), "\(text)")
    }

    /// The store hands the log the JSON it wrote into the alert's row; the line copies it, and an alert whose
    /// arrays changed since is encoded afresh.
    @Test func aLineCopiesTheListsTheStoreEncoded() {
        var alert = Self.alert(kind: .new)
        let encoded = AlertLogWriter.line(for: alert)
        alert.encoded = Alert.EncodedLists(
            json: (
                AnalysisJSON.encode(evidence: alert.evidence)[...], AnalysisJSON.encode(entities: alert.entities)[...],
                AnalysisJSON.encode(quantities: alert.quantities)[...]
            ))
        #expect(AlertLogWriter.line(for: alert) == encoded)
        // Copied, not encoded again: bytes that are not the arrays' show up as they are.
        alert.encoded = Alert.EncodedLists(json: (Array("[1]".utf8)[...], Array("[2]".utf8)[...], Array("[3]".utf8)[...]))
        let copied = String(decoding: AlertLogWriter.line(for: alert), as: UTF8.self)
        #expect(copied.hasSuffix(#","evidence":[1],"entities":[2],"quantities":[3]}"# + "\n"))
        // Equal with or without them: an alert read back from the log equals the one the store returned.
        #expect(alert == Self.alert(kind: .new))
        alert.entities = []
        #expect(alert.encoded.json == nil)
        #expect(String(decoding: AlertLogWriter.line(for: alert), as: UTF8.self).contains(#""entities":[],"#))
    }
}
