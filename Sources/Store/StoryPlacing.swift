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
        let names = names(of: report)
        let placement = place(report, names: names)
        let storyID: Int64
        if let existing = placement.storyID {
            storyID = existing
        } else {
            storyID = nextStoryID
            nextStoryID += 1
        }
        // Only what changed: most copies add nothing to what the story's alerts have said.
        let (changed, sources) = record(report, names: names, in: storyID)
        return PlacedReport(
            placement: placement, storyID: storyID, startsStory: placement.storyID == nil, changedTopics: changed,
            sources: sources)
    }
}

/// Files a transaction's alerting reports in the story index on another thread, while the writer inserts
/// their items and analyses: placement is most of the writer's own CPU, and the two need nothing from
/// each other until the story rows are written. Each report's filing is handed over as soon as it is done,
/// so the writer writes a report's story rows while the next ones are filed.
///
/// The reports are filed as if every one of their items were new. The writer uses the result only when
/// that held; otherwise it drops this index and files the reports again, in the transaction, from the tables.
final class StoryPlacing: Sendable {
    private struct State: Sendable {
        /// The index while nobody files in it: before the filing starts, and once it has ended.
        var index: StoryIndex?
        var placed: [PlacedReport] = []
        var ended = false
    }

    /// A serial queue of its own: it always gets a thread, while the writer's thread waits for the filing
    /// (a worker of the shared global queues might not, with every one of them busy).
    private static let queue = DispatchQueue(label: "feedwatch.story-filing", qos: .userInitiated)

    private let state: Mutex<State>
    /// Signalled after each filing and at the end.
    private let progress = DispatchSemaphore(value: 0)
    private let cancelled = Atomic(false)

    /// Starts filing `reports`, in order, into `index`; new stories are numbered from `firstStoryID`.
    init(index: consuming StoryIndex, reports: [StoryReport], firstStoryID: Int64) {
        state = Mutex(State(index: consume index))
        Self.queue.async { [self] in
            // Taken out for the filing, so it is the only reference and changes in place.
            guard var index = state.withLock({ $0.index.take() }) else { return }
            var nextStoryID = firstStoryID
            for report in reports {
                if cancelled.load(ordering: .relaxed) { break }
                let filed = index.file(report, nextStoryID: &nextStoryID)
                state.withLock { $0.placed.append(filed) }
                progress.signal()
            }
            let filedAll = consume index
            state.withLock { state in
                state.index = filedAll
                state.ended = true
            }
            progress.signal()
        }
    }

    /// Stops the filing after the report in hand (when the transaction failed and nobody will wait).
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    /// What filing the report at `position` decided, once it is done (reports are filed in order).
    func filing(at position: Int) -> PlacedReport {
        while true {
            if let filed = state.withLock({ position < $0.placed.count ? $0.placed[position] : nil }) { return filed }
            progress.wait()
        }
    }

    /// The index with every report filed in it, once the filing has ended.
    func filedIndex() -> StoryIndex {
        while true {
            if let index = state.withLock({ $0.ended ? $0.index.take() : nil }) { return index }
            progress.wait()
        }
    }
}
