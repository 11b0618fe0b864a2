import Foundation
import Testing

@testable import Analysis

@Suite(.timeLimit(.minutes(1))) struct FingerprintTests {
    private static let story = """
        Gunmen attacked a police checkpoint near Kirkuk on Tuesday night, killing three officers and wounding \
        two others, the interior ministry said. The attackers fled towards the hills after a gun battle that \
        lasted about an hour, and security forces launched a search of nearby villages.
        """

    private func fingerprint(_ text: String) throws -> Fingerprint {
        try AnalysisFixtures.analyzer().analyze(Article(id: "f", text: text)).fingerprint
    }

    @Test func nearDuplicatesAreCloseAndOtherStoriesAreFar() throws {
        let original = try fingerprint(Self.story)
        let edited = try fingerprint(
            Self.story.replacingOccurrences(of: "Tuesday night", with: "Tuesday evening")
                .replacingOccurrences(of: "about an hour", with: "nearly an hour")
        )
        let other = try fingerprint(
            "Parliament approved the budget after a long debate, and the finance minister promised new jobs."
        )
        #expect(original.hammingDistance(to: edited) <= 12, "edited: \(original.hammingDistance(to: edited))")
        #expect(original.hammingDistance(to: other) >= 16, "other: \(original.hammingDistance(to: other))")
        #expect(original.hammingDistance(to: original) == 0)
    }

    @Test func carriesSortedEntitiesAndQuantities() throws {
        let print = try fingerprint("Three soldiers and 3 soldiers: Iraq, Baghdad and Iraq again, 2 years.")
        #expect(print.entities == print.entities.sorted())
        #expect(Set(print.entities) == ["baghdad", "iraq"])
        #expect(print.quantities.contains(Fingerprint.QuantityKey(value: 3, unit: "soldiers")))
        #expect(print.quantities.filter { $0.unit == "soldiers" }.count == 1)
        #expect(print.entityOverlap(with: print) == 1)
    }

    @Test func sortsKeysByUnitThenValueAndDropsRepeats() {
        let print = Fingerprint(
            simhash: 1,
            entities: ["iraq", "baghdad", "iraq", "erbil", "baghdad"],
            quantities: [
                .init(value: 5000, unit: "soldiers"), .init(value: 3, unit: "years"), .init(value: 2, unit: "soldiers"),
                .init(value: 3, unit: "years"), .init(value: 10, unit: "killed"), .init(value: 5000, unit: "soldiers"),
            ]
        )
        #expect(print.entities == ["baghdad", "erbil", "iraq"])
        #expect(
            print.quantities == [
                .init(value: 10, unit: "killed"), .init(value: 2, unit: "soldiers"),
                .init(value: 5000, unit: "soldiers"), .init(value: 3, unit: "years"),
            ]
        )
        #expect(Fingerprint.QuantityKey(value: 9, unit: "killed") < Fingerprint.QuantityKey(value: 1, unit: "years"))
        #expect(!(Fingerprint.QuantityKey(value: 1, unit: "years") < Fingerprint.QuantityKey(value: 1, unit: "years")))
    }

    @Test func crossLanguageReportsShareEntitiesAndQuantities() throws {
        let english = try fingerprint("Trump said 5000 soldiers would leave Iraq.")
        let arabic = try fingerprint("قال ترامب إن 5000 جندي سيغادرون العراق.")
        #expect(english.entityOverlap(with: arabic) == 1)
        #expect(english.quantityOverlap(with: arabic) == 1)
    }

    @Test func encodesTheSimHashAsHexAndDecodesOldAnalyses() throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Article(id: "j", text: Self.story))
        let data = try JSONEncoder().encode(analysis)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let fingerprint = try #require(object["fingerprint"] as? [String: Any])
        let hex = try #require(fingerprint["simhash"] as? String)
        #expect(hex.count == 16 && UInt64(hex, radix: 16) == analysis.fingerprint.simhash)
        #expect(try JSONDecoder().decode(Analysis.self, from: data) == analysis)

        var old = object
        old.removeValue(forKey: "fingerprint")
        let decoded = try JSONDecoder().decode(Analysis.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(decoded.fingerprint == .empty)
        #expect(decoded.topics == analysis.topics)
    }
}

/// `AnalysisJSON` writes what `JSONEncoder` writes.
@Suite(.timeLimit(.minutes(1))) struct AnalysisJSONTests {
    @Test(arguments: [
        "Gunmen opened fire on a checkpoint near Kirkuk, killing 2 people; the \"Popular Mobilization\" denied it.\n\tback\\slash / slash \u{1} control",
        "ترامب يبلغ الكاظمي أن قوات التحالف ستغادر العراق في غضون 3 سنوات، وأن 5000 جندي سيبقون حتى ذلك الحين.",
        "",
    ])
    func matchesJSONEncoder(_ text: String) throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Article(id: "x", title: "Title \u{7F}", text: text))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try JSONSerialization.jsonObject(with: encoder.encode(analysis)) as? NSDictionary
        let written = try JSONSerialization.jsonObject(with: Data(AnalysisJSON.encode(analysis))) as? NSDictionary
        #expect(expected != nil && written == expected)

        let withID = try #require(
            try JSONSerialization.jsonObject(with: Data(AnalysisJSON.encode(analysis, id: "a/1"))) as? [String: Any]
        )
        #expect(withID["id"] as? String == "a/1")
        #expect(Set(withID.keys) == Set((expected as? [String: Any])?.keys.map { $0 } ?? []).union(["id"]))
    }

    /// An analysis past the writer's first 4 KB buffer is written whole, and its slices stay where they are.
    @Test func aLargeAnalysisMatchesJSONEncoder() throws {
        let sentence = String(repeating: "قالت الوزارة إن \"5000 جندي\" سيبقون.\n Troops will stay. ", count: 40)
        let evidence = (0..<3).map { index in
            Evidence(text: sentence, start: index * 100, end: index * 100 + 90, terms: ["stay"], field: "text")
        }
        let analysis = Analysis(
            language: "ar",
            topics: (0..<3).map {
                TopicMatch(id: "t\($0)", score: 1.5, severity: "high", modality: .intent, evidence: evidence)
            },
            entities: [],
            quantities: [Quantity(value: 5000, unit: "soldiers", text: "5000 جندي", start: 17, end: 26, field: "text")],
            fingerprint: Fingerprint(simhash: 0x0123_4567_89ab_cdef, entities: ["iq"], quantities: []))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try JSONSerialization.jsonObject(with: encoder.encode(analysis)) as? NSDictionary
        let (json, _, quantities, evidenceRanges) = AnalysisJSON.encodeWithArrays(analysis)
        #expect(json.count > 4096 * 4)
        let written = try JSONSerialization.jsonObject(with: Data(json)) as? NSDictionary
        #expect(expected != nil && written == expected)
        #expect(Array(json[quantities]) == AnalysisJSON.encode(quantities: analysis.quantities))
        for (range, topic) in zip(evidenceRanges, analysis.topics) {
            #expect(Array(json[range]) == AnalysisJSON.encode(evidence: topic.evidence))
        }
    }
}

/// Strings are escaped wherever the escaped byte falls: the writer scans eight bytes at a time, so every
/// escape is tried at every offset around those words, in ASCII and in Arabic text.
@Suite(.timeLimit(.minutes(1))) struct JSONStringEscapeTests {
    /// Escapes byte by byte as JSONEncoder does (slashes unescaped): the reference for the fast scan.
    private static func reference(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): bytes += Array("\\\\".utf8)
            case 0x0A: bytes += Array("\\n".utf8)
            case 0x0D: bytes += Array("\\r".utf8)
            case 0x09: bytes += Array("\\t".utf8)
            case 0x08: bytes += Array("\\b".utf8)
            case 0x0C: bytes += Array("\\f".utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }

    /// `text` as the analyzer's JSON writer writes a string.
    static func written(_ text: String) -> [UInt8] {
        var writer = AnalysisJSON.Writer()
        writer.string(text)
        return writer.bytes
    }

    @Test(arguments: ["abcdefghijklmnopqrstuvwxyz", "قالت الوزارة إن القوات ستغادر"])
    func everyEscapeAtEveryOffset(_ base: String) throws {
        for special in ["\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "/", "\u{7F}"] {
            for offset in 0...base.count {
                var text = base
                text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: offset))
                let written = Self.written(text)
                #expect(written == Self.reference(text), "\(special.debugDescription) at \(offset)")
                #expect(try JSONDecoder().decode(String.self, from: Data(written)) == text)
            }
        }
    }

    /// The writer starts with a small buffer and grows it: a long string, escapes included, is written whole.
    @Test func aStringPastTheWritersFirstBufferIsWrittenWhole() throws {
        let text = String(repeating: "قالت \"الوزارة\"\n abcdefgh\u{1} ", count: 300)
        let written = Self.written(text)
        #expect(written.count > 8_000)
        #expect(written == Self.reference(text))
        #expect(try JSONDecoder().decode(String.self, from: Data(written)) == text)
    }
}

/// The analyzer's JSON numbers: what JSONEncoder would write for finite values, and never a token JSON lacks.
@Suite struct JSONNumberTests {
    @Test(arguments: [
        (5000.0, "5000"), (0.5, "0.5"), (-0.0, "-0"), (-3.0, "-3"), (1e16, "1e+16"),
        (9_007_199_254_740_991, "9007199254740991"), (9_007_199_254_740_992, "9007199254740992"),
        (Double.infinity, "null"), (-Double.infinity, "null"), (Double.nan, "null"),
    ])
    func numbersAreWrittenAsJSON(_ value: Double, _ expected: String) {
        var writer = AnalysisJSON.Writer()
        writer.number(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }
}

/// The alert row's arrays are slices of the analysis JSON: the same bytes as writing them alone.
@Suite struct AnalysisJSONSliceTests {
    @Test func theEntityAndQuantityArraysInTheAnalysisAreTheArraysAlone() throws {
        let text = "Three rockets struck Ain al-Asad air base in Anbar; Kataib Hezbollah claimed the attack. "
            + "سقطت ثلاثة صواريخ على قاعدة عين الأسد في الأنبار وأصيب 5 جنود."
        let analysis = try AnalysisFixtures.analyzer().analyze(Article(id: "s", title: "Rockets hit a base", text: text))
        #expect(!analysis.entities.isEmpty && !analysis.quantities.isEmpty)
        let (json, entities, quantities, evidence) = AnalysisJSON.encodeWithArrays(analysis)
        #expect(json == AnalysisJSON.encode(analysis))
        #expect(Array(json[entities]) == AnalysisJSON.encode(entities: analysis.entities))
        #expect(Array(json[quantities]) == AnalysisJSON.encode(quantities: analysis.quantities))
        #expect(!analysis.topics.isEmpty)
        #expect(evidence.count == analysis.topics.count)
        for (range, topic) in zip(evidence, analysis.topics) {
            #expect(!topic.evidence.isEmpty)
            #expect(Array(json[range]) == AnalysisJSON.encode(evidence: topic.evidence))
        }
    }

    @Test func anAnalysisWithoutTopicsHasNoEvidenceSlices() {
        let analysis = Analysis(
            language: "en", topics: [], entities: [], quantities: [],
            fingerprint: Fingerprint(simhash: 0, entities: [], quantities: []))
        let (json, entities, quantities, evidence) = AnalysisJSON.encodeWithArrays(analysis)
        #expect(evidence.isEmpty)
        #expect(Array(json[entities]) == Array("[]".utf8))
        #expect(Array(json[quantities]) == Array("[]".utf8))
    }
}
