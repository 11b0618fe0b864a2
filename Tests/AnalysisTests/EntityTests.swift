import Testing

@testable import Analysis

@Suite struct EntityTests {
    private let analyzer: Analyzer

    init() throws {
        analyzer = try Analyzer(
            topics: [],
            entities: [
                EntityDefinition(
                    id: "trump",
                    type: "person",
                    arabicNames: ["ترامب"],
                    englishNames: ["Trump", "Donald Trump"]
                ),
                EntityDefinition(
                    id: "washington",
                    type: "place",
                    arabicNames: ["واشنطن"],
                    englishNames: ["Washington"]
                ),
                EntityDefinition(
                    id: "soleimani",
                    type: "person",
                    arabicNames: ["سليماني", "قاسم سليماني"],
                    fuzzyExceptions: ["سليمان"]
                ),
                EntityDefinition(
                    id: "usa",
                    type: "country",
                    arabicNames: ["الولايات المتحدة"],
                    englishNames: ["U.S."],
                    fuzzy: false
                ),
                EntityDefinition(
                    id: "iraq",
                    type: "country",
                    arabicNames: ["العراق"],
                    englishNames: ["Iraq"],
                    fuzzy: false
                ),
                EntityDefinition(id: "militias", type: "group", arabicNames: ["الميليشيات الولائية"]),
                EntityDefinition(
                    id: "turkey",
                    type: "country",
                    arabicNames: ["تركيا"],
                    englishNames: ["Turkey"],
                    adjectives: ["تركي", "الأتراك", "Turkish", "Turks"],
                    fuzzy: false
                ),
            ]
        )
    }

    private func mentions(_ text: String, _ id: String) -> [EntityMention] {
        analyzer.analyze(Article(id: "e", text: text)).entity(id)?.mentions ?? []
    }

    @Test func matchesNamesWithArabicProclitics() {
        #expect(mentions("التقى وترامب بالعراق", "trump").map(\.text) == ["وترامب"])
        #expect(mentions("زار بالعراق وللعراق والعراق", "iraq").map(\.text) == ["بالعراق", "وللعراق", "والعراق"])
        #expect(mentions("زيارة للولايات المتحدة", "usa").map(\.text) == ["للولايات المتحدة"])
    }

    @Test func matchesMultiWordNamesAsPhrases() {
        let found = mentions("وصل قاسم سليماني", "soleimani")
        #expect(found.map(\.text) == ["قاسم سليماني"])
        #expect(found.first?.confidence == "high")
    }

    @Test func findsTransliterationVariantsByConsonantSkeleton() {
        let found = mentions("قال ترمب إن", "trump")
        #expect(found.map(\.text) == ["ترمب"])
        #expect(found.first?.confidence == "low")
    }

    @Test func findsOneTypoInLongNamesWithLowConfidence() {
        let found = mentions("واشنكن تعتبر", "washington")
        #expect(found.map(\.confidence) == ["low"])
        #expect(mentions("Officials in Washingtn said", "washington").map(\.text) == ["Washingtn"])
    }

    @Test func respectsFuzzyExceptionsAndShortNames() {
        #expect(mentions("التقى سليمان بوزير", "soleimani").isEmpty)
        #expect(mentions("ترابي", "trump").isEmpty)
    }

    @Test func requiresCapitalsForLatinNames() {
        #expect(mentions("He played his trump card.", "trump").isEmpty)
        #expect(mentions("Donald Trump said", "trump").map(\.text) == ["Donald Trump"])
        #expect(mentions("U.S. officials", "usa").map(\.text) == ["U.S"])
    }

    @Test func expandsSpellingVariantsOfNames() {
        #expect(mentions("هاجمت المليشيات الولائية", "militias").map(\.text) == ["المليشيات الولائية"])
    }

    @Test func resolvesAdjectiveAndPeopleFormsToTheCountry() {
        let text = "القصف التركي ومسيرات تركية وقوات تركيا، وقال الأتراك إن Turkish jets and Turks left."
        #expect(
            mentions(text, "turkey").map(\.text) == ["التركي", "تركية", "تركيا", "الأتراك", "Turkish", "Turks"]
        )
        #expect(mentions("والتركيين", "turkey").map(\.text) == ["والتركيين"])
        #expect(mentions("a turkish bath", "turkey").isEmpty)
    }

    @Test func adjectiveMentionsDoNotCountAsPlacesInRules() throws {
        let analyzer = try Analyzer(
            topics: [
                TopicDefinition(
                    id: "t",
                    rules: [
                        RuleDefinition(id: "r", groups: [TermGroup(terms: ["leave"]), TermGroup(types: ["country"])])
                    ]
                )
            ],
            entities: [
                EntityDefinition(id: "turkey", type: "country", englishNames: ["Turkey"], adjectives: ["Turkish"])
            ]
        )
        #expect(analyzer.analyze(Article(id: "1", text: "Troops will leave Turkey.")).topicIDs == ["t"])
        let adjective = analyzer.analyze(Article(id: "2", text: "Turkish troops will leave."))
        #expect(adjective.topics.isEmpty)
        #expect(adjective.entity("turkey") != nil)
    }

    @Test func expandsArabicNisbaForms() {
        let forms = Set(Gazetteer.adjectiveForms("تركي"))
        for form in ["تركي", "التركي", "تركية", "التركية", "تركيين", "التركيون", "تركيتين"] {
            #expect(forms.contains(form), "missing \(form)")
        }
        #expect(Gazetteer.adjectiveForms("Turkish") == ["Turkish"])
        #expect(Gazetteer.adjectiveForms("الأتراك") == ["الأتراك"])
    }

    @Test func reportsOffsetsIntoTheOriginalField() throws {
        let title = "لقاء ترامبُ في بغداد"
        let analysis = analyzer.analyze(Article(id: "e", title: title, text: "نص"))
        let mention = try #require(analysis.entity("trump")?.mentions.first)
        #expect(mention.field == "title")
        #expect(AnalysisFixtures.scalars(title, mention.start, mention.end) == mention.text)
        #expect(mention.text == "ترامبُ")
    }
}
