import Dispatch
import Foundation
import Synchronization

/// What placing one report decided, and its story's state once the report joined: everything the writer
/// needs for the report's story rows and alerts.
struct PlacedReport: Sendable {
    var placement: StoryPlacement
    var storyID: Int64
    /// The report starts the story: its `stories` row is to be inserted.
    var startsStory: Bool
    /// The topics whose state the report changed, in the report's topic order, with their new state.
    var changedTopics: [(topic: String, state: StoryIndex.TopicState)]
    /// The story's sources once the report joined.
    var sources: Int
}

extension StoryIndex {
    /// Places `report`, records it in its story (a new story takes `nextStoryID`, which then advances), and
    /// says what the writer must write for it.
    mutating func file(_ report: StoryReport, nextStoryID: inout Int64) -> PlacedReport {
        let placement = place(report)
        let storyID: Int64
        if let existing = placement.storyID {
            storyID = existing
        } else {
            storyID = nextStoryID
            nextStoryID += 1
        }
        let topicsBefore = stories[storyID]?.topics ?? [:]
        record(report, in: storyID)
        let story = stories[storyID]
        var changed: [(topic: String, state: TopicState)] = []
        for topic in report.topics {
            // Only what changed: most copies add nothing to what the story's alerts have said.
            guard let state = story?.topics[topic.id], state != topicsBefore[topic.id] else { continue }
            changed.append((topic.id, state))
        }
        return PlacedReport(
            placement: placement, storyID: storyID, startsStory: placement.storyID == nil, changedTopics: changed,
            sources: story?.sources ?? 1)
    }
}

/// Files a transaction's alerting reports in the story index on another thread, while the writer inserts
/// their items and analyses: placement is most of the writer's own CPU, and the two need nothing from
/// each other until the story rows are written.
///
/// The reports are filed as if every one of their items were new. The writer uses the result only when
/// that held; otherwise it drops this index and files the reports again, in the transaction, from the tables.
final class StoryPlacing: Sendable {
    private struct Work: Sendable {
        var index: StoryIndex
        var placed: [PlacedReport] = []
    }

    private let work: Mutex<Work>
    private let finished = DispatchSemaphore(value: 0)
    private let cancelled = Atomic(false)

    /// Starts filing `reports`, in order, into `index`; new stories are numbered from `firstStoryID`.
    init(index: consuming StoryIndex, reports: [StoryReport], firstStoryID: Int64) {
        work = Mutex(Work(index: consume index))
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            work.withLock { work in
                var nextStoryID = firstStoryID
                work.placed.reserveCapacity(reports.count)
                for report in reports {
                    if cancelled.load(ordering: .relaxed) { break }
                    work.placed.append(work.index.file(report, nextStoryID: &nextStoryID))
                }
            }
            finished.signal()
        }
    }

    /// Stops the filing after the report in hand (when the transaction failed and nobody will wait).
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    /// Waits for the filing to end, and returns the index with every report in it and what each report needs.
    func wait() -> (index: StoryIndex, placed: [PlacedReport]) {
        finished.wait()
        return work.withLock { work in
            // Taken out, so the caller's copy is the only one and changes in place.
            let taken = (work.index, work.placed)
            work = Work(index: StoryIndex(policy: work.index.policy))
            return taken
        }
    }
}
