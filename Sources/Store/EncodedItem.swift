import Analysis
import Foundation
import GRDB

/// An item's column values for the `analyses`, `story_sources` and `alerts` rows, and what the story index
/// needs of it: everything a commit writes that depends on the item alone.
struct EncodedItem: Sendable {
    /// `items.published_at`.
    var published: DatabaseValue
    /// `analyses.topics`: topic ids, comma-separated.
    var topics: String
    /// `analyses.result`: the whole analysis as JSON.
    var analysis: String
    /// For an alerting item: `alerts.entities`, `alerts.quantities`, and `alerts.evidence` per alert topic
    /// (in `alertTopics` order); empty otherwise.
    var entities = ""
    var quantities = ""
    var evidence: [String] = []
    /// For an alerting item, its story report with placeholder ids and times (0, `distantPast`): only
    /// ``StoryReport/placed(itemID:feedID:time:published:)`` makes it a report the index may use.
    var storyDraft: StoryReport?
    /// For an alerting item, its `story_sources` columns: what it brought to its story.
    var storySource = StorySourceColumns()

    /// The `story_sources` columns that depend on the item alone.
    struct StorySourceColumns: Sendable {
        var simhash = ""
        var entities = ""
        var keyEntities = ""
        var quantities = ""
        var topics = ""
    }

    init(_ item: ProcessedItem) {
        let analysis = item.analysis
        published = item.published.map(StoredDate.value) ?? .null
        topics = analysis.topics.map(\.id).joined(separator: ",")
        // The analyzer's own writer: the same JSON as JSONEncoder with sorted keys, several times faster. The
        // alert row's entities and quantities are slices of it.
        let (json, entitiesRange, quantitiesRange) = AnalysisJSON.encodeWithArrays(analysis)
        self.analysis = String(decoding: json, as: UTF8.self)
        guard !item.alertTopics.isEmpty else { return }
        entities = String(decoding: json[entitiesRange], as: UTF8.self)
        quantities = String(decoding: json[quantitiesRange], as: UTF8.self)
        evidence = item.alertTopics.map { String(decoding: AnalysisJSON.encode(evidence: $0.evidence), as: UTF8.self) }
        let report = StoryReport(draftOf: item)
        storyDraft = report
        storySource = StorySourceColumns(
            simhash: StoryIndex.hex(report.simhash), entities: report.entities.sorted().joined(separator: ","),
            keyEntities: report.keyEntities.sorted().joined(separator: ","),
            quantities: StoryIndex.text(of: report.quantities), topics: report.topics.map(\.id).joined(separator: ","))
    }
}
