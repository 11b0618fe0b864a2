import Testing

@testable import Analysis

/// The pieces that replaced per-token or per-sentence allocations: they must answer exactly as before.
@Suite struct BufferReuseTests {
    @Test func idSetHoldsWhatWasInsertedOnly() {
        var set = IDSet()
        for id: Int32 in [0, 5, 63, 64, 700] { set.insert(id) }
        #expect([0, 5, 63, 64, 700].allSatisfy { set.contains($0) })
        #expect(![1, 62, 65, 699, 701, 100_000].contains { set.contains($0) })
        #expect(!set.contains(Vocabulary.absent))
        #expect(!IDSet().contains(0))
    }

    @Test func originalTextIsTheOriginalSliceWhateverItsScalars() {
        let source = "Ab\u{301}c — قالَ «الوزير» 🇮🇶 x"
        let text = Normalizer.normalize(source)
        let scalars = Array(source.unicodeScalars)
        for start in 0...scalars.count {
            for end in start...scalars.count {
                var expected = String.UnicodeScalarView()
                expected.append(contentsOf: scalars[start..<end])
                #expect(text.originalText(start, end) == String(expected))
            }
        }
    }

    @Test func fieldsShareTheArticleBuffersWithoutMixingThem() throws {
        let analyzer = try AnalysisFixtures.analyzer()
        let title = "US troops to withdraw from Iraq"
        let text = "The United States will withdraw 2,500 troops from Iraq by the end of the year, Baghdad said."
        let both = analyzer.analyze(Article(id: "both", title: title, text: text))
        let titleAlone = analyzer.analyze(Article(id: "title", title: nil, text: title))
        let textAlone = analyzer.analyze(Article(id: "text", title: nil, text: text))
        // Each field's entities and quantities are those it has alone, in field order.
        let mentions = both.entities.flatMap(\.mentions)
        #expect(mentions.filter { $0.field == "title" }.map(\.text) == titleAlone.entities.flatMap(\.mentions).map(\.text))
        #expect(mentions.filter { $0.field == "text" }.count == textAlone.entities.flatMap(\.mentions).count)
        #expect(both.quantities.map(\.value) == textAlone.quantities.map(\.value))
        #expect(analyzer.explain(Article(id: "both", title: title, text: text)).analysis == both)
    }
}
