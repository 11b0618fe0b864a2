import Analysis
import Foundation
import Testing

@testable import Store

/// The columns an item is encoded into, against the plain forms they replace: the same text, the same
/// title pairs, the same alert arrays.
@Suite struct EncodedItemTests {
    /// `titlePairs` as it was first written: over the whole matching form, word hashes listed, then paired.
    static func referenceTitlePairs(_ title: String) -> [UInt64] {
        var words: [UInt64] = []
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var inWord = false
        for scalar in matchingForm(of: title).unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                hash = (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3
                inWord = true
            } else {
                if inWord { words.append(hash) }
                hash = 0xcbf2_9ce4_8422_2325
                inWord = false
            }
        }
        if inWord { words.append(hash) }
        guard words.count >= 2 else { return [] }
        return Array(Set((1..<words.count).map { (words[$0 - 1] &* 0x9E37_79B9_7F4A_7C15) ^ words[$0] })).sorted()
    }

    @Test(arguments: [
        "", "one", "   ", "Rockets hit the BASE", "rockets hit the base", "Rockets hit - the base",
        "Rockets hit — the base", "3 Rockets, 2 drones: the base hit again; the base hit again!",
        "A-B A-B A-B", "Tab\tand\nnewline", "مقتل 8 عناصر في هجوم على نقطة تفتيش في القائم",
        "Ain al-Asad: صواريخ على قاعدة عين الأسد", "Café déjà vu", "ＦＵＬＬ width ５ digits", "x y",
    ])
    func titlePairsAreTheMatchingFormsWordPairs(_ title: String) {
        #expect(StoryIndex.titlePairs(title) == Self.referenceTitlePairs(title))
    }

    @Test func everyASCIICharacterPairsAsThroughTheMatchingForm() {
        // Each of the 128 ASCII characters inside a word, between two words, and at either end.
        for value in UInt8(0)..<128 {
            let character = String(UnicodeScalar(value))
            for title in ["ab\(character)cd ef", "ab \(character) cd", "\(character)ab cd", "ab cd\(character)"] {
                #expect(StoryIndex.titlePairs(title) == Self.referenceTitlePairs(title), "byte \(value) in \(title.debugDescription)")
            }
        }
    }

    @Test func asciiTitlesPairAsTheirMatchingFormDoes() {
        // An ASCII hyphen is read on the ASCII path, an em dash through the matching form: both break words.
        #expect(StoryIndex.titlePairs("Rockets HIT - the Base") == StoryIndex.titlePairs("rockets hit — the base"))
        #expect(StoryIndex.titlePairs("Rockets hit the base").count == 3)
        #expect(StoryIndex.titlePairs(nil).isEmpty)
    }

    @Test(arguments: [0, 1, 0xabc, 0x0123_4567_89ab_cdef, 0x8000_0000_0000_0000, UInt64.max] as [UInt64])
    func hexIsSixteenDigits(_ simhash: UInt64) {
        let digits = String(simhash, radix: 16)
        #expect(Fingerprint.hex(simhash) == String(repeating: "0", count: 16 - digits.count) + digits)
    }

    @Test func figuresTextIsSortedAndSeparated() {
        let keys: Set<Fingerprint.QuantityKey> = [
            .init(value: 5000, unit: "soldiers"), .init(value: 3, unit: "years"), .init(value: 2.5, unit: "km"),
            .init(value: 12, unit: "soldiers"),
        ]
        #expect(StoryIndex.text(of: keys) == "2.5 km;12 soldiers;5000 soldiers;3 years")
        #expect(StoryIndex.text(of: []) == "")
    }

    static func item(alertTopics: (Analysis) -> [TopicMatch]) -> ProcessedItem {
        let sentence = "Militants said \"5 rockets\" hit the base."
        let evidence = Evidence(
            text: sentence, start: 0, end: sentence.unicodeScalars.count, terms: ["rockets"], field: "text")
        let other = Evidence(text: "قصف بالصواريخ", start: 41, end: 54, terms: ["قصف"], field: "text")
        let analysis = Analysis(
            language: "en",
            topics: [
                TopicMatch(id: "attack", score: 2, severity: "high", modality: .reportedFact, evidence: [evidence]),
                TopicMatch(
                    id: "rockets", score: 1.5, severity: "medium", modality: .reportedFact, evidence: [evidence, other]),
            ],
            entities: [
                EntityMatch(
                    id: "iq", type: "country", name: "Iraq",
                    mentions: [EntityMention(text: "Iraq", start: 3, end: 7, field: "title", confidence: "high")])
            ],
            quantities: [Quantity(value: 5, unit: "rockets", text: "5 rockets", start: 16, end: 25, field: "text")],
            fingerprint: Fingerprint(simhash: 0xabc, entities: ["iq"], quantities: [.init(value: 5, unit: "rockets")]))
        return ProcessedItem(
            key: "k", keySource: "guid", title: "Rockets hit a base in Iraq", link: nil, published: nil,
            analysis: analysis, alertTopics: alertTopics(analysis))
    }

    static func expectArraysWrittenAlone(_ item: ProcessedItem) throws {
        let encoded = try #require(item.encoded)
        let analysis = item.analysis
        #expect(encoded.analysis == AnalysisJSON.encode(analysis))
        #expect(Array(encoded.entities) == AnalysisJSON.encode(entities: analysis.entities))
        #expect(Array(encoded.quantities) == AnalysisJSON.encode(quantities: analysis.quantities))
        #expect(encoded.evidence.map(Array.init) == item.alertTopics.map { AnalysisJSON.encode(evidence: $0.evidence) })
        #expect(encoded.topics == "attack,rockets")
        #expect(encoded.storySource.simhash == "0000000000000abc")
        #expect(encoded.storySource.topics == item.alertTopics.map(\.id).joined(separator: ","))
        #expect(encoded.storySource.entities == "iq")
        #expect(encoded.storySource.keyEntities == "")
        #expect(encoded.storySource.quantities == "5 rockets")
    }

    @Test func alertArraysAreTheArraysWrittenAlone() throws {
        try Self.expectArraysWrittenAlone(Self.item { $0.topics })
    }

    @Test func alertTopicsOtherThanTheAnalysisOnesAreWrittenAlone() throws {
        // A subset in another order, and a topic whose evidence differs from the analysis's.
        try Self.expectArraysWrittenAlone(Self.item { Array($0.topics.reversed()) })
        try Self.expectArraysWrittenAlone(
            Self.item { analysis in
                var topic = analysis.topics[1]
                topic.evidence.removeFirst()
                return [topic]
            })
    }

    @Test func anItemWithoutAlertsHasNoAlertColumns() throws {
        let encoded = try #require(Self.item { _ in [] }.encoded)
        #expect(encoded.entities.isEmpty && encoded.quantities.isEmpty && encoded.evidence.isEmpty)
        #expect(encoded.storyDraft == nil)
    }
}
