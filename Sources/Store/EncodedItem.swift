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
    /// `analyses.result`: the whole analysis as JSON, in UTF-8.
    var analysis: [UInt8]
    /// For an alerting item: `alerts.entities`, `alerts.quantities`, and `alerts.evidence` per alert topic
    /// (in `alertTopics` order), JSON in UTF-8, slices of `analysis` where it holds them; empty otherwise.
    var entities: ArraySlice<UInt8> = []
    var quantities: ArraySlice<UInt8> = []
    var evidence: [ArraySlice<UInt8>] = []
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
        topics = analysis.topics.map(\.id).commaSeparated
        // The analyzer's own writer: the same JSON as JSONEncoder with sorted keys, several times faster. The
        // alert row's entities, quantities and evidence are slices of it, sharing its bytes. Kept as bytes: a
        // String would check all of them again, and SQLite takes them as they are.
        let (json, entitiesRange, quantitiesRange, evidenceRanges) = AnalysisJSON.encodeWithArrays(analysis)
        self.analysis = json
        guard !item.alertTopics.isEmpty else { return }
        entities = json[entitiesRange]
        quantities = json[quantitiesRange]
        evidence = item.alertTopics.map { topic in
            // An alert topic is one of the analysis's own (the monitor alerts on them all): its evidence is
            // already written there. Equal arrays that share storage compare at once.
            if let index = analysis.topics.firstIndex(where: { $0.id == topic.id && $0.evidence == topic.evidence }) {
                return json[evidenceRanges[index]]
            }
            return AnalysisJSON.encode(evidence: topic.evidence)[...]
        }
        let report = StoryReport(draftOf: item)
        storyDraft = report
        storySource = StorySourceColumns(
            simhash: Fingerprint.hex(report.simhash), entities: report.entities.sorted().commaSeparated,
            keyEntities: report.keyEntities.sorted().commaSeparated,
            quantities: StoryIndex.text(of: report.quantities), topics: report.topics.map(\.id).commaSeparated)
    }
}

extension Sequence<String> {
    /// The strings joined with commas, as `joined(separator: ",")` joins them: for the few short ids a column
    /// holds, appending them costs a fraction of the general join.
    var commaSeparated: String {
        var text = ""
        for (index, part) in enumerated() {
            if index > 0 { text += "," }
            text += part
        }
        return text
    }
}
